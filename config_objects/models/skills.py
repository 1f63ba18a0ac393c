"""Skill definitions and the skill profiles that give agents values for them."""

from django.core.exceptions import ValidationError
from django.db import models

from config_objects.models.base import NamedObject
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
    type = enum_field("Type", Type)
    enum_values = models.JSONField("List Values For Enum", default=list, blank=True)

    class Meta(NamedObject.Meta):
        verbose_name = "skill definition"

    def clean(self):
        super().clean()
        values = self.enum_values or []
        if self.type == self.Type.ENUM and not values:
            raise ValidationError({"enum_values": "List Values For Enum is required for type ENUM"})
        if self.type != self.Type.ENUM and values:
            raise ValidationError({"enum_values": f"List Values For Enum must be empty for type {self.type}"})
        seen = set()
        for value in values:
            if not isinstance(value, str) or not value.strip() or LIST_SEPARATOR in value:
                raise ValidationError({"enum_values": f"List Values For Enum: '{value}' is not a valid value"})
            if len(value) > NAME_MAX_LENGTH:
                raise ValidationError(
                    {"enum_values": f"List Values For Enum: '{value}' is longer than {NAME_MAX_LENGTH} characters"}
                )
            if value.lower() in seen:
                raise ValidationError({"enum_values": f"List Values For Enum: '{value}' appears twice"})
            seen.add(value.lower())

    def canonical_value(self, raw: str) -> str:
        """The stored spelling of a profile's value for this skill, or a ValidationError saying why not."""
        raw = (raw or "").strip()
        where = f"Skill Values '{raw}' for skill '{self.name}'"
        if self.type == self.Type.PROFICIENCY:
            if not raw.isdigit() or not 0 <= int(raw) <= 10:
                raise ValidationError(f"{where} must be a whole number from 0 to 10")
            return str(int(raw))
        if self.type == self.Type.BOOLEAN:
            if raw.upper() not in ("TRUE", "FALSE"):
                raise ValidationError(f"{where} must be TRUE or FALSE")
            return raw.upper()
        if self.type == self.Type.TEXT:
            if not raw:
                raise ValidationError(f"Skill Values is required for skill '{self.name}'")
            if len(raw) > TEXT_SKILL_MAX_LENGTH:
                raise ValidationError(
                    f"Skill Values for skill '{self.name}' is longer than {TEXT_SKILL_MAX_LENGTH} "
                    f"characters (it has {len(raw)})"
                )
            return raw
        allowed = {value.lower(): value for value in self.enum_values}
        chosen = split_list(raw)
        if not chosen:
            raise ValidationError(f"Skill Values is required for skill '{self.name}'")
        unknown = [value for value in chosen if value.lower() not in allowed]
        if unknown:
            raise ValidationError(f"{where}: '{unknown[0]}' is not one of {', '.join(self.enum_values)}")
        return LIST_SEPARATOR.join(allowed[value.lower()] for value in chosen)


class SkillProfile(NamedObject):
    description = description_field()
    skills = models.ManyToManyField(SkillDefinition, through="SkillProfileSkill", related_name="+")

    class Meta(NamedObject.Meta):
        verbose_name = "skill profile"


class SkillProfileSkill(models.Model):
    profile = models.ForeignKey(SkillProfile, on_delete=models.CASCADE, related_name="skill_values")
    skill = models.ForeignKey(SkillDefinition, on_delete=models.PROTECT, related_name="+", verbose_name="Skill Name")
    value = models.TextField("Skill Values", blank=True)

    class Meta:
        verbose_name = "skill"
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
