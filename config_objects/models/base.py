"""What every configuration object shares: a name key unique ignoring case, normalisation of that
key, and fields that are fixed once the object exists."""

from itertools import repeat

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.functions import Trim
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config_objects.models.checks import quick_checks
from config_objects.models.fields import english, fold, folds, labelled, match_key_field, name_field


class UniqueIgnoringCase(models.UniqueConstraint):
    """Unique match_key (the folded key), whose validation error sits on the key field and names the value."""

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError:
            field_name = model.key_field
            field = model._meta.get_field(field_name)
            raise ValidationError(
                {
                    field_name: ValidationError(
                        _(
                            "%(column)s '%(value)s' is already used by another %(object)s (names are compared "
                            "ignoring case)"
                        )
                        % {
                            "column": english(field.verbose_name),
                            "value": getattr(instance, field_name),
                            "object": model._meta.verbose_name,
                        },
                        code="unique",
                    )
                }
            ) from None


def unique_key(field: str = "name") -> list[models.BaseConstraint]:
    """The database's guarantee that keys are unique ignoring case and surrounding spaces."""
    return [
        UniqueIgnoringCase(fields=["match_key"], name=f"%(app_label)s_%(class)s_{field}_unique"),
        models.CheckConstraint(
            condition=models.Q(**{field: Trim(field)}) & ~models.Q(**{field: ""}),
            name=f"%(app_label)s_%(class)s_{field}_trimmed",
            violation_error_message=labelled(
                gettext_noop("%(column)s may not be empty or start or end with spaces"), field
            ),
        ),
    ]


UNCHANGED = object()  # what changed_from() gives for a field that keeps its stored value


class ConfigObject(models.Model):
    """Base of the configuration objects and catalogues.

    key_field is the column that identifies a row in a bulk file; fixed_fields may be set when the
    object is created and never changed afterwards.
    """

    key_field = "name"
    fixed_fields: tuple[str, ...] = ()
    match_key = match_key_field()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(getattr(self, self.key_field))

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def normalize(self) -> None:
        """Bring values to their stored form; runs before validation and on every save."""
        key = getattr(self, self.key_field)
        if isinstance(key, str):
            setattr(self, self.key_field, key.strip())
            self.match_key = fold(key)

    @classmethod
    def normalize_columns(cls, columns: dict[str, list]) -> bool:
        """normalize() of many new objects at once, over columns of their values ({attname: values},
        replaced here): True when done, False when each object's own normalize() must run instead
        (a model that overrides it, a key that is not text)."""
        keys = columns.get(cls.key_field)
        if cls.normalize is not ConfigObject.normalize or keys is None or not all(map(isinstance, keys, repeat(str))):
            return False
        columns[cls.key_field] = list(map(str.strip, keys))
        columns["match_key"] = folds(keys)
        return True

    def validate_constraints(self, exclude=None):
        # match_key is not a form field, but it is the key field's uniqueness: check it with the key.
        exclude = set(exclude or ())
        if self.key_field not in exclude:
            exclude.discard("match_key")
        super().validate_constraints(exclude=exclude)

    def clean_fields(self, exclude=None):
        """Django's clean_fields, for only the fields whose values its quick test is not sure of."""
        exclude = set(exclude or ())
        doubtful = []
        for field, quick_test in quick_checks(type(self)):
            if field.name in exclude:
                continue
            value = getattr(self, field.attname)
            if (field.blank and value in field.empty_values) or (quick_test is not None and quick_test(value)):
                continue
            doubtful.append(field.name)
        if doubtful:
            super().clean_fields(exclude={field.name for field in self._meta.fields} - set(doubtful))

    def full_clean(self, *args, **kwargs):
        self.normalize()
        super().full_clean(*args, **kwargs)

    def changed_from(self, attname: str):
        """The stored value of a field that this object changes, or UNCHANGED (a new object changes
        nothing): rules that protect what other objects rely on look only at a change."""
        loaded = getattr(self, "_loaded_values", None)
        if self._state.adding or not loaded or attname not in loaded:
            return UNCHANGED
        before = loaded[attname]
        return UNCHANGED if before == getattr(self, attname) else before

    def may_change_others(self) -> list:
        """Primary keys of other objects of this model that saving this one may change too (moving
        a default), so that their changes are recorded with it."""
        return []

    def clean_links(self, chosen: dict[str, list]) -> None:
        """Rules over the object's many-to-many lists as they will be stored ({list name: [targets]}),
        raising ValidationError; the lists are saved after the object, so clean() cannot see them."""

    def clean(self) -> None:
        super().clean()
        errors = {}
        loaded = getattr(self, "_loaded_values", None)
        if loaded and not self._state.adding:
            for name in self.fixed_fields:
                field = self._meta.get_field(name)
                before = loaded.get(field.attname)
                if before != getattr(self, field.attname):
                    shown = field.remote_field.model.objects.filter(pk=before).first() if field.is_relation else before
                    errors[name] = _("%(column)s cannot change once the %(object)s exists (it is '%(value)s')") % {
                        "column": english(field.verbose_name),
                        "object": self._meta.verbose_name,
                        "value": shown,
                    }
        if errors:
            raise ValidationError(errors)


class NamedObject(ConfigObject):
    name = name_field()

    class Meta:
        abstract = True
        constraints = unique_key("name")
        ordering = ["name"]


class NamedChild(models.Model):
    """One child of an object written over several rows, identified within its object by its name
    (ignoring case and surrounding spaces, like object names)."""

    match_key = match_key_field()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def normalize(self) -> None:
        self.name = (self.name or "").strip()
        self.match_key = fold(self.name)

    def clean(self):
        super().clean()
        self.normalize()
