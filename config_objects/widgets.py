"""Widgets shared by the resources: each converts one CSV cell to a value (clean) and back (render).

clean() raises ValueError with a message that starts with the quoted value or with "is required";
the import engine puts the column name in front ("Site 'Belgrade-2' does not exist").
"""

import datetime

from django.utils.translation import gettext as _
from import_export import widgets

from config_objects.models.calendar import parse_days, parse_wall_clock, wall_clock_text
from config_objects.models.catalogues import compact_json
from config_objects.models.fields import failed_in_package, fold
from config_objects.models.skills import LIST_SEPARATOR, split_list
from config_objects.models.thresholds import clean_receivers

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})


class Text(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return (value or "").strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class Characters(Text):
    """A set of characters, spaces included: the cell is taken as written."""

    keeps_spaces = True

    def clean(self, value, row=None, **kwargs):
        return value or ""


class JSONText(Text):
    """A JSON text in one cell, read in its compact one-line form (keys in their order), so that a
    reformatted layout compares equal to the stored one; text that is not JSON is left for the
    field's validator to name."""

    def clean(self, value, row=None, **kwargs):
        return compact_json(value or "")


class Whole(widgets.Widget):
    """A whole number; an empty cell is `empty` (no value, unless a default is given)."""

    def __init__(self, empty=None):
        super().__init__()
        self.empty = empty

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return self.empty
        try:
            return int(value)
        except ValueError:
            raise ValueError(_("'%(value)s' is not a whole number") % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class Flag(widgets.Widget):
    """TRUE/FALSE, Yes/No, On/Off, 1/0 in any case; exported as words[0] / words[1]."""

    def __init__(self, words=("TRUE", "FALSE"), empty=None):
        super().__init__()
        self.words = words
        self.empty = empty  # the value of an empty cell; None: the cell is required

    def clean(self, value, row=None, **kwargs):
        word = (value or "").strip().lower()
        if not word:
            if self.empty is None:
                raise ValueError(_("is required"))
            return self.empty
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(
            _("'%(value)s' is not one of %(true)s, %(false)s")
            % {"value": value.strip(), "true": self.words[0], "false": self.words[1]}
        )

    def render(self, value, obj=None, **kwargs):
        return self.words[0] if value else self.words[1]


class ChildFlag(Flag):
    """A child row's Bool: an empty cell is no value (None), so that a Delete=Yes row need not state
    it; on any other row the child's validation says it is required."""

    def clean(self, value, row=None, **kwargs):
        if not (value or "").strip():
            return None
        return super().clean(value, row, **kwargs)


class Choice(widgets.Widget):
    """An enum value in any case, stored and exported in its canonical spelling."""

    def __init__(self, choices, aliases=None):
        """choices: a TextChoices class or a model field's [(value, label), ...]."""
        super().__init__()
        values = list(choices.values) if hasattr(choices, "values") else [value for value, _label in choices]
        self.allowed = ", ".join(values)
        self.by_spelling = {value.lower(): value for value in values}
        self.by_spelling |= {alias.lower(): value for alias, value in (aliases or {}).items()}

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return ""
        try:
            return self.by_spelling[" ".join(value.split()).lower()]
        except KeyError:
            raise ValueError(
                _("'%(value)s' is not one of %(allowed)s") % {"value": value, "allowed": self.allowed}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class ValueList(widgets.Widget):
    """A '|' separated list of plain values."""

    def clean(self, value, row=None, **kwargs):
        return split_list(value or "")

    def render(self, value, obj=None, **kwargs):
        return LIST_SEPARATOR.join(value or [])


class EmailList(ValueList):
    """A '|' separated list of e-mail addresses, each valid, kept lower-case and once."""

    def clean(self, value, row=None, **kwargs):
        return clean_receivers(split_list(value or ""))


class EntityName(Text):
    """The name of an object whose kind another column of the row decides: kept as written here, and
    resolved by the model, which knows that column (a widget is handed the cell alone)."""

    def __init__(self, *models):
        super().__init__()
        self.referenced_models = models  # the kinds it may name (an import's dependency order)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class NameRef(widgets.ForeignKeyWidget):
    """A reference to another object by its name, ignoring case and surrounding spaces.

    The engine calls prime() with every name a chunk of rows uses, so references cost one query per
    chunk; clean() then only looks names up. Found objects stay cached for the job, up to a bound.
    """

    cache_limit = 50_000

    def __init__(self, model, field=None, select_related=()):
        super().__init__(model, field=field or model.key_field)
        self.select_related = select_related
        self._found = {}

    @property
    def referenced_models(self) -> tuple:
        """The objects this column names (an import's dependency order is read from it)."""
        return (self.model,)

    def names_in(self, value) -> list[str]:
        value = (value or "").strip()
        return [value] if value else []

    def prime(self, names) -> None:
        wanted = {fold(name) for name in names} - self._found.keys()
        if not wanted:
            return
        if len(self._found) + len(wanted) > self.cache_limit:
            self._found.clear()
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        for obj in queryset.filter(match_key__in=wanted):
            self._found[obj.match_key] = obj
        for key in wanted:
            self._found.setdefault(key, None)  # remembered as missing: no second query for it

    def lookup(self, name):
        key = fold(name)
        if key not in self._found:
            self.prime([name])
        found = self._found[key]
        if found is None:
            if failed_in_package(self.model, name):
                raise ValueError(_("'%(name)s' failed in this package") % {"name": name})
            raise ValueError(_("'%(name)s' does not exist") % {"name": name})
        return found

    def clean(self, value, row=None, **kwargs):
        names = self.names_in(value)
        return self.lookup(names[0]) if names else None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)


class NameList(NameRef):
    """A '|' separated list of references; the list keeps the file's order without repeats."""

    def names_in(self, value) -> list[str]:
        return split_list(value or "")

    def clean(self, value, row=None, **kwargs):
        found = []
        for name in self.names_in(value):
            obj = self.lookup(name)
            if obj not in found:
                found.append(obj)
        return found

    def render(self, value, obj=None, **kwargs):
        return LIST_SEPARATOR.join(getattr(item, self.field) for item in value or [])


class TeamList(NameList):
    """Teams written as `Team` or `Team: Site`; with a site, the team must belong to it."""

    def __init__(self, model):
        super().__init__(model, select_related=("site",))

    def names_in(self, value) -> list[str]:
        return [item.split(":", 1)[0].strip() for item in split_list(value or "")]

    def clean(self, value, row=None, **kwargs):
        found = []
        for item in split_list(value or ""):
            name, _colon, site = (part.strip() for part in item.partition(":"))
            team = self.lookup(name)
            if site and team.site.match_key != fold(site):
                raise ValueError(
                    _("'%(item)s' names site '%(site)s', but team '%(team)s' belongs to site '%(own)s'")
                    % {"item": item, "site": site, "team": team, "own": team.site}
                )
            if team not in found:
                found.append(team)
        return found


class Date(widgets.Widget):
    """A date written YYYY-MM-DD; empty is no date."""

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value) if len(value) == 10 else _not_a("date", value)
        except ValueError:
            _not_a("date", value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.isoformat()


class TimeOfDay(widgets.Widget):
    """A time of day written HH:MM (24 h; H:MM accepted), exported HH:MM."""

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        hours, colon, mins = value.partition(":")
        if not (colon and hours.isdigit() and mins.isdigit() and len(hours) <= 2 and len(mins) == 2):
            _not_a("time", value)
        if int(hours) > 23 or int(mins) > 59:
            _not_a("time", value)
        return datetime.time(int(hours), int(mins))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.strftime("%H:%M")


class WallClock(widgets.Widget):
    """A date and time of day written YYYY-MM-DDTHH:MM (a space accepted for T), exported so."""

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return parse_wall_clock(value)
        except ValueError:
            _not_a("datetime", value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else wall_clock_text(value)


class Days(widgets.Widget):
    """Week days, '|' separated, in any case and order; stored and exported in week order."""

    def clean(self, value, row=None, **kwargs):
        return parse_days(value or "")

    def render(self, value, obj=None, **kwargs):
        return value or ""


def _not_a(kind: str, value: str):
    shapes = {
        "date": _("a date (YYYY-MM-DD)"),
        "time": _("a time of day (HH:MM, 24 h)"),
        "datetime": _("a date and time (YYYY-MM-DDTHH:MM)"),
    }
    raise ValueError(_("'%(value)s' is not %(shape)s") % {"value": value, "shape": shapes[kind]})
