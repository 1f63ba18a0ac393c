"""What a bulk object's declaration is made of: ConfigResource (the base of every Resource) and its
columns. A column is taken from the model field of the same name: its header is the field's verbose
name, its widget follows the field (a reference by name, a list of names, a flag, a choice, a whole
number, text), and it is optional when the field may be blank or has a default. Only what differs
is declared by hand, with column() and flag(). The bulk engine (bulkops.engine) relies on what
ConfigResource declares here and on nothing else."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import classproperty
from django.utils.text import capfirst
from import_export import resources
from import_export.fields import Field

from config_objects import models as m
from config_objects.models.calendar import DaysField, WallClockField
from config_objects.models.fields import english
from config_objects.widgets import (
    ChildFlag,
    Choice,
    Date,
    Days,
    Flag,
    NameList,
    NameRef,
    TeamList,
    Text,
    TimeOfDay,
    WallClock,
    Whole,
)

OBJECT, LINK, CHILD, DELETE = "object", "link", "child", "delete"


class Column(Field):
    """A CSV column. A required column must be in the header; part says where the value goes: the
    object's field, its many-to-many list (link), or the child row (child / delete)."""

    def __init__(
        self,
        name: str,
        attribute: str,
        widget=None,
        *,
        optional: bool = False,
        part: str = OBJECT,
        exported: "Exported | None" = None,
    ):
        super().__init__(attribute=attribute, column_name=name, widget=widget or Text())
        self.required = not optional
        self.part = part
        # The reader trims every cell but those of a column whose spaces are values (a set of characters).
        self.keeps_spaces = getattr(self.widget, "keeps_spaces", False)
        self.exported = exported


@dataclass(frozen=True)
class Exported:
    """Where an export reads a column whose attribute holds the value as last imported, when the
    current value lives elsewhere (a name the referenced object may have changed since): path, a
    values() expression; read(obj), the same value from an instance."""

    path: object
    read: Callable


def column(name, attribute, widget=None, *, optional=False, part=OBJECT, exported=None) -> Column:
    return Column(name, attribute, widget, optional=optional, part=part, exported=exported)


def flag(name, attribute, *, words=("TRUE", "FALSE"), empty=None, part=OBJECT):
    return column(name, attribute, Flag(words, empty=empty), optional=empty is not None, part=part)


def delete_column():
    return flag("Delete", "delete", empty=False, part=DELETE)


def column_from(model_field, *, part=OBJECT, empty_flags=None) -> Column:
    """The column a model field makes, named by its verbose name."""
    optional = model_field.blank or model_field.has_default()
    # The header is the English label, in every language (SPEC 10): the admin shows it translated.
    name, attribute = english(model_field.verbose_name), model_field.name
    if isinstance(model_field, models.ManyToManyField):
        target = model_field.remote_field.model
        widget = TeamList(target) if target is m.Team else NameList(target)
        if part == CHILD:  # a child's list (a distribution group's teams) is what the row is for
            return column(name, attribute, widget, optional=model_field.blank, part=CHILD)
        return column(name, attribute, widget, optional=True, part=LINK)
    if isinstance(model_field, models.ForeignKey):
        return column(name, attribute, NameRef(model_field.remote_field.model), optional=model_field.blank, part=part)
    if isinstance(model_field, models.BooleanField):
        if part == CHILD and empty_flags is None:  # a Delete=Yes row need not state it
            return column(name, attribute, ChildFlag(), part=CHILD)
        return flag(name, attribute, empty=empty_flags, part=part)
    if model_field.choices:
        return column(name, attribute, Choice(model_field.choices), optional=model_field.blank, part=part)
    if isinstance(model_field, DaysField):
        return column(name, attribute, Days(), optional=model_field.blank, part=part)
    if isinstance(model_field, WallClockField):
        return column(name, attribute, WallClock(), optional=model_field.blank, part=part)
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        return column(name, attribute, Date(), optional=model_field.blank, part=part)
    if isinstance(model_field, models.TimeField):
        return column(name, attribute, TimeOfDay(), optional=model_field.blank, part=part)
    if isinstance(model_field, models.IntegerField):
        empty = model_field.default if model_field.has_default() else None
        return column(name, attribute, Whole(empty), optional=optional, part=part)
    return column(name, attribute, Text(), optional=model_field.blank, part=part)


@dataclass(frozen=True)
class ChildRows:
    """Objects written over several rows, one child each (a skill, an entry, a distribution group).

    key: the child attribute that identifies a child within its object, merging rows into what is
    stored (rows with Delete=Yes remove one); None: the rows replace all children. fields: the child
    model's fields that are columns (declared columns of the same name win).
    """

    model: type
    parent: str
    key: str | None
    fields: tuple[str, ...] = field(default=())
    # The row error of a file that would leave the object without children, when it must keep one.
    last_one: str | None = None


DECLARED: list[type["ConfigResource"]] = []  # every bulk object's Resource, in the SPEC's order


class ConfigResource(resources.ModelResource):
    """The declaration of one bulk object. Meta.model and Meta.fields (the columns, in file order)
    are required; so are slug and label. Meta.import_id_fields names the key (default: name)."""

    slug: str = ""
    label: str = ""
    aliases: tuple[str, ...] = ()  # other names users type for the object
    file_kind = "csv"
    children: ChildRows | None = None
    # Rows that depend on the rows before them (moving a default) are validated and saved one at a time.
    sequential = False
    # An empty flag cell means FALSE (and the column may be left out), instead of being required.
    empty_flags: bool | None = None
    # The order of an export's objects: by name, unless a row must come before others to be imported.
    export_order: tuple[str, ...] = ("match_key",)

    class Meta:
        import_id_fields = ["name"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("slug"):
            DECLARED.append(cls)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        return column_from(django_field, empty_flags=cls.empty_flags)

    @classmethod
    def noun(cls) -> str:
        return cls.model._meta.verbose_name

    @classmethod
    def title(cls) -> str:
        return capfirst(cls.model._meta.verbose_name)

    @classproperty
    def model(cls) -> type:
        return cls._meta.model

    def columns(self, part=None) -> list[Column]:
        """Every column in Meta.fields order (child columns made from the child model's fields), each
        this instance's own: widgets cache the names they looked up, for one job only."""
        if "ordered" not in self.__dict__:
            declared = dict(self.fields)
            for name in self.children.fields if self.children is not None else ():
                if name not in declared:
                    declared[name] = column_from(self.children.model._meta.get_field(name), part=CHILD)
            self.ordered = [declared[name] for name in self._meta.fields]
        return [f for f in self.ordered if part is None or f.part == part]

    def key_column(self) -> Column:
        key = self._meta.import_id_fields[0]
        return next(f for f in self.columns() if f.attribute == key)

    def kept_state(self, obj) -> list[str]:
        """Cells the change history keeps after the columns of an object's first row: what a revert
        needs that no column holds (an audio file's stored recording)."""
        return []

    def children_problems(self, children: list[dict]) -> list[str]:
        """Rules across one object's children, as they will be stored after the import."""
        last_one = self.children.last_one if self.children is not None else None
        return [str(last_one)] if last_one and not children else []
