"""Skill definitions and the skill profiles that give agents values for them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from config_objects.models.base import UNCHANGED, NamedObject
from config_objects.models.fields import (
    LETTER_FIRST_NAME,
    NAME_MAX_LENGTH,
    description_field,
    enum_field,
    name_field,
    seconds_field,
)

LIST_SEPARATOR = "|"
TEXT_SKILL_MAX_LENGTH = 100


def split_list(value: str) -> list[str]:
    """'a | b|c' -> ['a', 'b', 'c']; an empty cell is an empty list."""
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()] if value else []


class SkillDefinition(NamedObject):
    class Type(models.TextChoices):
        TEXT = "TEXT"
        PROFICIENCY = "PROFICIENCY"
        BOOLEAN = "BOOLEAN"
        ENUM = "ENUM"

    fixed_fields = ("type",)

    name = name_field(validators=[LETTER_FIRST_NAME])
    description = description_field()
    service_level_threshold = seconds_field()
    type = enum_field(_("Type"), Type)
    enum_values = models.JSONField(_("List Values For Enum"), default=list, blank=True)

    class Meta(NamedObject.Meta):
        verbose_name = _("skill definition")
        verbose_name_plural = _("skill definitions")

    def clean(self):
        super().clean()
        values = self.enum_values or []
        if self.type == self.Type.ENUM and not values:
            raise ValidationError({"enum_values": _("List Values For Enum is required for type ENUM")})
        if self.type != self.Type.ENUM and values:
            raise ValidationError(
                {"enum_values": _("List Values For Enum must be empty for type %(type)s") % {"type": self.type}}
            )
        seen = set()
        for value in values:
            if not isinstance(value, str) or not value.strip() or LIST_SEPARATOR in value:
                raise ValidationError(
                    {"enum_values": _("List Values For Enum: '%(value)s' is not a valid value") % {"value": value}}
                )
            if len(value) > NAME_MAX_LENGTH:
                raise ValidationError(
                    {
                        "enum_values": _("List Values For Enum: '%(value)s' is longer than %(limit)s characters")
                        % {"value": value, "limit": NAME_MAX_LENGTH}
                    }
                )
            if value.lower() in seen:
                raise ValidationError(
                    {"enum_values": _("List Values For Enum: '%(value)s' appears twice") % {"value": value}}
                )
            seen.add(value.lower())
        self.check_profiles_using(values)

    def check_profiles_using(self, values: list[str]) -> None:
        """List Values For Enum that would drop a value a skill profile has for this skill: its export
        would no longer import (SPEC row 8: ENUM, a List of that skill's values)."""
        if self.type != self.Type.ENUM or self.changed_from("enum_values") is UNCHANGED:
            return
        kept = set(values)
        for profile, value in (
            SkillProfileSkill.objects.filter(skill_id=self.pk)
            .order_by("profile__name")
            .values_list("profile__name", "value")
        ):
            dropped = [item for item in split_list(value) if item not in kept]
            if dropped:
                raise ValidationError(
                    {
                        "enum_values": _(
                            "List Values For Enum must keep '%(value)s': Skill Profile '%(profile)s' has it for this "
                            "skill"
                        )
                        % {"value": dropped[0], "profile": profile}
                    }
                )

    def canonical_value(self, raw: str) -> str:
        """The stored spelling of a profile's value for this skill, or a ValidationError saying why not."""
        raw = (raw or "").strip()
        named = {"value": raw, "skill": self.name}
        if self.type == self.Type.PROFICIENCY:
            if not raw.isdigit() or not 0 <= int(raw) <= 10:
                raise ValidationError(
                    _("Skill Values '%(value)s' for skill '%(skill)s' must be a whole number from 0 to 10") % named
                )
            return str(int(raw))
        if self.type == self.Type.BOOLEAN:
            if raw.upper() not in ("TRUE", "FALSE"):
                raise ValidationError(_("Skill Values '%(value)s' for skill '%(skill)s' must be TRUE or FALSE") % named)
            return raw.upper()
        if self.type == self.Type.TEXT:
            if not raw:
                raise ValidationError(_("Skill Values is required for skill '%(skill)s'") % named)
            if len(raw) > TEXT_SKILL_MAX_LENGTH:
                raise ValidationError(
                    _("Skill Values for skill '%(skill)s' is longer than %(limit)s characters (it has %(length)s)")
                    % {"skill": self.name, "limit": TEXT_SKILL_MAX_LENGTH, "length": len(raw)}
                )
            return raw
        allowed = {value.lower(): value for value in self.enum_values}
        chosen = split_list(raw)
        if not chosen:
            raise ValidationError(_("Skill Values is required for skill '%(skill)s'") % named)
        unknown = [value for value in chosen if value.lower() not in allowed]
        if unknown:
            raise ValidationError(
                _("Skill Values '%(value)s' for skill '%(skill)s': '%(item)s' is not one of %(allowed)s")
                % {**named, "item": unknown[0], "allowed": ", ".join(self.enum_values)}
            )
        return LIST_SEPARATOR.join(allowed[value.lower()] for value in chosen)


class SkillProfile(NamedObject):
    description = description_field()
    skills = models.ManyToManyField(SkillDefinition, through="SkillProfileSkill", related_name="+")

    class Meta(NamedObject.Meta):
        verbose_name = _("skill profile")
        verbose_name_plural = _("skill profiles")


class SkillProfileSkill(models.Model):
    profile = models.ForeignKey(SkillProfile, on_delete=models.CASCADE, related_name="skill_values")
    skill = models.ForeignKey(SkillDefinition, on_delete=models.PROTECT, related_name="+", verbose_name=_("Skill Name"))
    value = models.TextField(_("Skill Values"), blank=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["skill__name"]
        constraints = [models.UniqueConstraint("profile", "skill", name="skill_profile_skill_unique")]

    def __str__(self) -> str:
        return f"{self.skill}: {self.value}"

    def clean(self):
        super().clean()
        if self.skill_id is not None:
            try:
                self.value = self.skill.canonical_value(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from None
