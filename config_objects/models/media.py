"""Audio prompts (music in queue and the like), kept through Django's storage API."""

from django.db import models

from config_objects.models.base import NamedObject
from config_objects.models.fields import name_field, pattern, text_field

AUDIO_NAME = pattern(
    "File Name",
    r"^[^|/\\\x00-\x1f\x7f]+\.[wW][aA][vV]$",
    "must end in .wav and may not contain '/', '\\' or '|'",
)


class AudioFile(NamedObject):
    name = name_field("File Name", validators=[AUDIO_NAME])
    file = models.FileField("File", upload_to="audio/")
    content_type = text_field("Content Type", 100, optional=False)
    size = models.PositiveBigIntegerField("Size (bytes)", default=0)
    duration = models.FloatField("Duration (seconds)", default=0)
    format = text_field("Format", 120)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, editable=False)

    class Meta(NamedObject.Meta):
        verbose_name = "audio file"
