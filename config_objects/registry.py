"""The bulk objects, built from their Resource declarations (config_objects.resources): every command,
job and screen iterates this instead of naming models. Adding an object is declaring its Resource."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config_objects.columns import DECLARED, ConfigResource
from config_objects.models.fields import english


@dataclass(frozen=True)
class ObjectType:
    slug: str
    label: str
    model: type
    resource: type[ConfigResource]
    file_kind: str = "csv"
    aliases: tuple[str, ...] = ()

    @property
    def key_field(self) -> str:
        return self.model.key_field

    @property
    def is_package(self) -> bool:
        """The whole configuration in one job (SPEC 11): every object, no model of its own."""
        return self.model is None


def _declared(resource: type[ConfigResource]) -> ObjectType:
    return ObjectType(
        resource.slug, resource.label, resource.model, resource, resource.file_kind, tuple(resource.aliases)
    )


class _Declared(Sequence):
    """The ObjectTypes of every declared Resource, in declaration order. Read at each use, so an
    object declared by another app's resources module (found at start-up) is one of them."""

    def _all(self) -> tuple[ObjectType, ...]:
        if len(self.__dict__.get("cached", ())) != len(DECLARED):
            self.cached = tuple(_declared(resource) for resource in DECLARED)
            self.by_spelling = {
                _squash(spelling): t
                for t in self.cached
                for spelling in (t.slug, english(t.label), t.model.__name__, *t.aliases)
            }
        return self.cached

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def find(self, spelling: str) -> ObjectType | None:
        """The object of a spelling, singular or plural ('sites', 'Skill Profiles', 'Outdial ANIs')."""
        self._all()
        squashed = _squash(spelling or "")
        found = self.by_spelling.get(squashed)
        if found is None and squashed.endswith("s"):
            found = self.by_spelling.get(squashed[:-1])
        return found


# A job of every object at once (SPEC 11): not one of OBJECT_TYPES, which are the objects themselves.
PACKAGE = ObjectType(
    "package",
    gettext_lazy("Configuration package"),
    model=None,
    resource=None,
    file_kind="package",
    aliases=("configuration", "whole configuration", "configuration package", "config"),
)


OBJECT_TYPES = _Declared()


def _squash(spelling: str) -> str:
    """'Skill Profile', 'skill-profile', 'skill_profile' and 'SkillProfile' all become 'skillprofile'."""
    return re.sub(r"[^a-z0-9]", "", spelling.lower())


class UnknownObjectType(LookupError):
    pass


def object_type(spelling: str) -> ObjectType:
    """The object named by any common spelling (or the package of them all), or UnknownObjectType
    listing the valid ones."""
    found = OBJECT_TYPES.find(spelling)
    if found is None and _squash(spelling or "") in {_squash(name) for name in (PACKAGE.slug, *PACKAGE.aliases)}:
        found = PACKAGE
    if found is None:
        choices = ", ".join([*(t.slug for t in OBJECT_TYPES), PACKAGE.slug])
        raise UnknownObjectType(
            _("Unknown object '%(name)s'. Choose one of: %(choices)s") % {"name": spelling, "choices": choices}
        )
    return found


def object_type_for_model(model) -> ObjectType:
    return next(t for t in OBJECT_TYPES if t.model is model)


def object_choices() -> list[tuple[str, str]]:
    """The objects a job or a scheduled import may be of: each object, and the package of them all."""
    return [(t.slug, t.label) for t in OBJECT_TYPES] + [(PACKAGE.slug, PACKAGE.label)]


def validate_object_type(slug: str) -> None:
    """Job.object_type and ScheduledImport.object_type hold a slug of this registry."""
    from django.core.exceptions import ValidationError

    if slug not in {t.slug for t in OBJECT_TYPES} | {PACKAGE.slug}:
        raise ValidationError(
            _("'%(slug)s' is not a bulk object. Choose one of: %(choices)s")
            % {"slug": slug, "choices": ", ".join([*(t.slug for t in OBJECT_TYPES), PACKAGE.slug])}
        )


def references_of(t: ObjectType) -> list[ObjectType]:
    """The other objects a bulk object's columns name (references and lists of references), in the
    order of its columns: read from the widgets its Resource declares."""
    found = []
    for column in t.resource().columns():
        for model in getattr(column.widget, "referenced_models", ()):
            target = next((other for other in OBJECT_TYPES if other.model is model), None)
            if target is not None and target is not t and target not in found:
                found.append(target)
    return found


class DependencyCycle(ValueError):
    pass


def dependency_order() -> list[ObjectType]:
    """Every bulk object after the objects it references, otherwise in declaration order: the order
    in which a whole configuration is imported."""
    ordered, placed, visiting = [], set(), []

    def place(t: ObjectType) -> None:
        if t.slug in placed:
            return
        if t in visiting:
            cycle = " -> ".join(o.slug for o in [*visiting[visiting.index(t) :], t])
            raise DependencyCycle(f"The objects reference each other in a cycle: {cycle}")
        visiting.append(t)
        for target in references_of(t):
            place(target)
        visiting.pop()
        placed.add(t.slug)
        ordered.append(t)

    for t in OBJECT_TYPES:
        place(t)
    return ordered
