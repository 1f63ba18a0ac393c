"""Audio prompts (music in queue and the like), kept through Django's storage API."""

from collections.abc import Callable
from typing import IO

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from config_objects.models.base import NamedObject
from config_objects.models.fields import name_field, pattern, text_field
from config_objects.wav import sha256_of, wave_header

AUDIO_NAME = pattern(
    "File Name",
    r"^[^|/\\\x00-\x1f\x7f]+\.[wW][aA][vV]$",
    gettext_noop("%(column)s '%(value)s' must end in .wav and may not contain '/', '\\' or '|'"),
)


class AudioFile(NamedObject):
    name = name_field(_("File Name"), validators=[AUDIO_NAME])
    file = models.FileField(_("File"), upload_to="audio/")
    content_type = text_field(_("Content Type"), 100, optional=False)
    size = models.PositiveBigIntegerField(_("Size (bytes)"), default=0)
    duration = models.FloatField(_("Duration (seconds)"), default=0)
    format = text_field(_("Format"), 120)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)

    class Meta(NamedObject.Meta):
        verbose_name = _("audio file")
        verbose_name_plural = _("audio files")

    def read_recording(self, open_stream: Callable[[], IO[bytes]], size: int) -> None:
        """Take the format, duration, size and checksum of a WAV recording, read from the start of
        the stream open_stream() gives (twice: once for the header, once for the checksum). Raises
        NotWave if it is not one. The admin's upload form and the Zip import both attach audio so."""
        with open_stream() as stream:
            header = wave_header(stream, size=size)
        with open_stream() as stream:
            self.sha256 = sha256_of(stream)
        self.content_type, self.size = "audio/wav", size
        self.duration, self.format = header["duration"], header["format"]
