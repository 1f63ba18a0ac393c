"""Auxiliary codes, address books and outdial ANI lists."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from config_objects.models.base import NamedChild, NamedObject
from config_objects.models.fields import (
    bool_field,
    description_field,
    english,
    enum_field,
    messages,
    name_field,
    pattern,
    ref_field,
    text_field,
)
from config_objects.models.routing import WorkType

ADDRESS_BOOK_NUMBER = pattern(
    "Entry Number",
    r"^[0-9+\-() ]+$",
    gettext_noop("%(column)s '%(value)s' may contain only digits, spaces and + - ( )"),
)
ANI_NUMBER = pattern(
    "Entry Number",
    r"^(\+[0-9]{3,20}|sip:[^\s|]+)$",
    gettext_noop("%(column)s '%(value)s' is neither an E.164 number (+ and 3-20 digits) nor a sip: URI"),
)


class AuxiliaryCode(NamedObject):
    description = description_field()
    is_default = bool_field(_("Default"))
    work_type = ref_field(WorkType, _("Work Type"), related_name="auxiliary_codes")
    # The code's kind is its work type's Type, copied here so the database can hold "at most one
    # default per kind" as a partial unique index. A work type's Type cannot change while codes use it.
    kind = models.CharField(_("Kind"), max_length=20, choices=WorkType.Type.choices, editable=False)

    class Meta(NamedObject.Meta):
        verbose_name = _("auxiliary code")
        verbose_name_plural = _("auxiliary codes")
        constraints = [
            *NamedObject.Meta.constraints,
            models.UniqueConstraint(
                "kind",
                condition=models.Q(is_default=True),
                name="auxiliary_code_one_default_per_kind",
                violation_error_message=_("Another auxiliary code of this kind is already the default"),
            ),
        ]

    def normalize(self):
        super().normalize()
        if self.work_type_id is not None:
            self.kind = self.work_type.type

    def clean(self):
        super().clean()
        if self.work_type_id is None:
            return
        others = AuxiliaryCode.objects.filter(kind=self.kind).exclude(pk=self.pk)
        loaded = {} if self._state.adding else getattr(self, "_loaded_values", {})
        was_default = loaded.get("is_default")
        old_kind = loaded.get("kind")
        moved_away = was_default and old_kind and old_kind != self.kind
        if moved_away and AuxiliaryCode.objects.filter(kind=old_kind).exclude(pk=self.pk).exists():
            raise ValidationError(
                {
                    "work_type": _(
                        "Work Type '%(work_type)s' would leave %(kind)s codes without a default; "
                        "make another %(kind)s code the default first"
                    )
                    % {"work_type": self.work_type, "kind": old_kind}
                }
            )
        self.check_profiles_listing(old_kind)
        leaves_no_default = not self.is_default and not others.filter(is_default=True).exists()
        if leaves_no_default and (was_default or not others.exists()):
            raise ValidationError(
                {
                    "is_default": _(
                        "Default OFF would leave %(kind)s codes without a default; "
                        "set another code of this kind to ON instead"
                    )
                    % {"kind": self.kind}
                }
            )

    def check_profiles_listing(self, old_kind: str | None) -> None:
        """A Work Type of another kind while an agent profile lists the code among its codes of the old
        kind (SPEC row 12: Wrap Up Codes / Idle Codes are codes of that kind)."""
        if not old_kind or old_kind == self.kind:
            return
        profiles = self._meta.apps.get_model("config_objects", "AgentProfile")
        for _option, list_name, kind in profiles.option_lists:
            if kind != old_kind:
                continue
            listing = profiles.objects.filter(**{list_name: self}).order_by("name").first()
            if listing is not None:
                raise ValidationError(
                    {
                        "work_type": _(
                            "Work Type '%(work_type)s' is of type %(kind)s, but Agent Profile '%(profile)s' lists this "
                            "code in its %(list)s"
                        )
                        % {
                            "work_type": self.work_type,
                            "kind": self.kind,
                            "profile": listing,
                            "list": english(profiles._meta.get_field(list_name).verbose_name),
                        }
                    }
                )

    def validate_constraints(self, exclude=None):
        # Default=ON moves the default (see save), so "one default per kind" is left to the database.
        super().validate_constraints(exclude={*(exclude or ()), "kind"})

    def may_change_others(self) -> list:
        if not self.is_default:
            return []
        others = AuxiliaryCode.objects.filter(kind=self.kind, is_default=True).exclude(pk=self.pk)
        return list(others.values_list("pk", flat=True))

    def save(self, *args, **kwargs):
        """Default=ON moves the default of the code's kind to this code."""
        self.normalize()
        with transaction.atomic():
            if self.is_default:
                AuxiliaryCode.objects.filter(kind=self.kind, is_default=True).exclude(pk=self.pk).update(
                    is_default=False
                )
            super().save(*args, **kwargs)


class AddressBook(NamedObject):
    class ParentType(models.TextChoices):
        ORGANIZATION = "ORGANIZATION"
        SITE = "SITE"

    fixed_fields = ("parent_type",)

    description = description_field()
    parent_type = enum_field(_("Parent Type"), ParentType)
    site = ref_field("config_objects.Site", _("Site"), optional=True)

    class Meta(NamedObject.Meta):
        verbose_name = _("address book")
        verbose_name_plural = _("address books")

    def clean(self):
        super().clean()
        if self.parent_type == self.ParentType.SITE and self.site_id is None:
            raise ValidationError({"site": _("Site is required when Parent Type is SITE")})
        if self.parent_type == self.ParentType.ORGANIZATION and self.site_id is not None:
            raise ValidationError(
                {"site": _("Site '%(site)s' must be empty when Parent Type is ORGANIZATION") % {"site": self.site}}
            )


class Entry(NamedChild):
    """A named number in an address book or outdial ANI list; entries merge by name."""

    name = name_field(_("Entry Name"))

    class Meta(NamedChild.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self.name}: {self.number}"

    def normalize(self) -> None:
        super().normalize()
        self.number = (self.number or "").strip()


class AddressBookEntry(Entry):
    book = models.ForeignKey(AddressBook, on_delete=models.CASCADE, related_name="entries")
    number = models.CharField(
        _("Entry Number"),
        max_length=40,
        validators=[ADDRESS_BOOK_NUMBER],
        error_messages=messages("Entry Number"),
    )

    class Meta(Entry.Meta):
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [models.UniqueConstraint("book", "match_key", name="address_book_entry_unique")]


class OutdialANI(NamedObject):
    description = description_field()

    class Meta(NamedObject.Meta):
        verbose_name = _("outdial ANI")
        verbose_name_plural = _("outdial ANIs")


class OutdialANIEntry(Entry):
    ani = models.ForeignKey(OutdialANI, on_delete=models.CASCADE, related_name="entries")
    number = text_field(_("Entry Number"), 200, optional=False, validators=[ANI_NUMBER])

    class Meta(Entry.Meta):
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [models.UniqueConstraint("ani", "match_key", name="outdial_ani_entry_unique")]
