"""The one list of bulk objects: every command, job and screen iterates this instead of naming 17
models. An object's Resource is attached by the bulk layer when it exists."""

import re
from dataclasses import dataclass

from config_objects import models as m


@dataclass(frozen=True)
class ObjectType:
    slug: str
    label: str
    model: type
    file_kind: str = "csv"

    @property
    def key_field(self) -> str:
        return self.model.key_field


OBJECT_TYPES: tuple[ObjectType, ...] = (
    ObjectType("site", "Site", m.Site),
    ObjectType("work-type", "Work Type", m.WorkType),
    ObjectType("entry-point", "Entry Point", m.EntryPoint),
    ObjectType("outdial-entry-point", "Outdial Entry Point", m.OutdialEntryPoint),
    ObjectType("queue", "Queue", m.Queue),
    ObjectType("outdial-queue", "Outdial Queue", m.OutdialQueue),
    ObjectType("skill-definition", "Skill Definition", m.SkillDefinition),
    ObjectType("skill-profile", "Skill Profile", m.SkillProfile),
    ObjectType("auxiliary-code", "Auxiliary Code", m.AuxiliaryCode),
    ObjectType("address-book", "Address Book", m.AddressBook),
    ObjectType("team", "Team", m.Team),
    ObjectType("agent-profile", "Agent Profile", m.AgentProfile),
    ObjectType("user", "User", m.ContactCenterUser),
    ObjectType("user-profile", "User Profile", m.UserProfile),
    ObjectType("audio-file", "Audio File", m.AudioFile, file_kind="zip"),
    ObjectType("dn-mapping", "DN to EP Mapping", m.DNMapping),
    ObjectType("outdial-ani", "Outdial ANI", m.OutdialANI),
)

CATALOGUES = (m.MultimediaProfile, m.DesktopLayout, m.DialPlan)

# Other names users type for an object, beyond its slug, label and model name.
ALIASES = {
    "desktop-profile": "agent-profile",
    "dn-to-ep-mapping": "dn-mapping",
    "dntoepmapping": "dn-mapping",
    "audio": "audio-file",
    "contact-center-user": "user",
}


def _squash(spelling: str) -> str:
    """'Skill Profile', 'skill-profile', 'skill_profile' and 'SkillProfile' all become 'skillprofile'."""
    return re.sub(r"[^a-z0-9]", "", spelling.lower())


_BY_SPELLING = {}
for _object_type in OBJECT_TYPES:
    for _spelling in (_object_type.slug, _object_type.label, _object_type.model.__name__):
        _BY_SPELLING[_squash(_spelling)] = _object_type
for _alias, _slug in ALIASES.items():
    _BY_SPELLING[_squash(_alias)] = next(t for t in OBJECT_TYPES if t.slug == _slug)


class UnknownObjectType(LookupError):
    pass


def object_type(spelling: str) -> ObjectType:
    """The object named by any common spelling, or UnknownObjectType listing the valid ones."""
    found = _BY_SPELLING.get(_squash(spelling or ""))
    if found is None:
        choices = ", ".join(t.slug for t in OBJECT_TYPES)
        raise UnknownObjectType(f"Unknown object '{spelling}'. Choose one of: {choices}")
    return found


def object_type_for_model(model) -> ObjectType:
    return next(t for t in OBJECT_TYPES if t.model is model)
