"""Auxiliary codes, address books and outdial ANI lists."""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from config_objects.models.base import NamedObject
from config_objects.models.fields import (
    bool_field,
    description_field,
    enum_field,
    fold,
    match_key_field,
    messages,
    name_field,
    pattern,
    ref_field,
    text_field,
)
from config_objects.models.routing import WorkType

ADDRESS_BOOK_NUMBER = pattern("Entry Number", r"^[0-9+\-() ]+$", "may contain only digits, spaces and + - ( )")
ANI_NUMBER = pattern(
    "Entry Number",
    r"^(\+[0-9]{3,20}|sip:[^\s|]+)$",
    "is neither an E.164 number (+ and 3-20 digits) nor a sip: URI",
)


class AuxiliaryCode(NamedObject):
    description = description_field()
    is_default = bool_field("Default")
    work_type = ref_field(WorkType, "Work Type", related_name="auxiliary_codes")
    # The code's kind is its work type's Type, copied here so the database can hold "at most one
    # default per kind" as a partial unique index. A work type's Type cannot change while codes use it.
    kind = models.CharField(max_length=20, choices=WorkType.Type.choices, editable=False)

    class Meta(NamedObject.Meta):
        verbose_name = "auxiliary code"
        constraints = [
            *NamedObject.Meta.constraints,
            models.UniqueConstraint(
                "kind",
                condition=models.Q(is_default=True),
                name="auxiliary_code_one_default_per_kind",
                violation_error_message="Another auxiliary code of this kind is already the default",
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
                    "work_type": f"Work Type '{self.work_type}' would leave {old_kind} codes without a default; "
                    f"make another {old_kind} code the default first"
                }
            )
        leaves_no_default = not self.is_default and not others.filter(is_default=True).exists()
        if leaves_no_default and (was_default or not others.exists()):
            raise ValidationError(
                {
                    "is_default": f"Default OFF would leave {self.kind} codes without a default; "
                    "set another code of this kind to ON instead"
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
    parent_type = enum_field("Parent Type", ParentType)
    site = ref_field("config_objects.Site", "Site", optional=True)

    class Meta(NamedObject.Meta):
        verbose_name = "address book"

    def clean(self):
        super().clean()
        if self.parent_type == self.ParentType.SITE and self.site_id is None:
            raise ValidationError({"site": "Site is required when Parent Type is SITE"})
        if self.parent_type == self.ParentType.ORGANIZATION and self.site_id is not None:
            raise ValidationError({"site": f"Site '{self.site}' must be empty when Parent Type is ORGANIZATION"})


class Entry(models.Model):
    """A named number in an address book or outdial ANI list; entries merge by name."""

    name = name_field("Entry Name")
    match_key = match_key_field()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}: {self.number}"

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.normalize()

    def normalize(self) -> None:
        self.name = (self.name or "").strip()
        self.number = (self.number or "").strip()
        self.match_key = fold(self.name)


class AddressBookEntry(Entry):
    book = models.ForeignKey(AddressBook, on_delete=models.CASCADE, related_name="entries")
    number = models.CharField(
        "Entry Number",
        max_length=40,
        validators=[ADDRESS_BOOK_NUMBER],
        error_messages=messages("Entry Number"),
    )

    class Meta(Entry.Meta):
        verbose_name = "entry"
        verbose_name_plural = "entries"
        constraints = [models.UniqueConstraint("book", "match_key", name="address_book_entry_unique")]


class OutdialANI(NamedObject):
    description = description_field()

    class Meta(NamedObject.Meta):
        verbose_name = "outdial ANI"
        verbose_name_plural = "outdial ANIs"


class OutdialANIEntry(Entry):
    ani = models.ForeignKey(OutdialANI, on_delete=models.CASCADE, related_name="entries")
    number = text_field("Entry Number", 200, optional=False, validators=[ANI_NUMBER])

    class Meta(Entry.Meta):
        verbose_name = "entry"
        verbose_name_plural = "entries"
        constraints = [models.UniqueConstraint("ani", "match_key", name="outdial_ani_entry_unique")]
