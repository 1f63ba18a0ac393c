"""The audio files' admin: uploads must be real WAVs, and staff who may view them can listen."""

from contextlib import nullcontext

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from config_objects import models as m
from config_objects.admin_base import ConfigAdmin
from config_objects.admin_forms import LinkedObjectForm
from config_objects.wav import NotWave


class AudioFileForm(LinkedObjectForm):
    """An uploaded file must be a real WAV; its format and duration come from its header."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "content_type"):  # a new upload, not the stored file

            def from_the_start():
                upload.seek(0)
                return nullcontext(upload)

            try:
                self.instance.read_recording(from_the_start, upload.size)
            except NotWave as error:
                raise ValidationError(f"'{upload.name}' {error}") from None
            upload.seek(0)
        return upload


@admin.register(m.AudioFile)
class AudioFileAdmin(ConfigAdmin):
    list_display = ["name", "size", "duration", "format"]
    fields = ["name", "file", "player", "content_type", "size", "duration", "format"]
    readonly_fields = ["player", "content_type", "size", "duration", "format"]

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = AudioFileForm

    @admin.display(description="Listen")
    def player(self, audio):
        if not audio.pk or not audio.file:
            return "-"
        url = reverse("admin:config_objects_audiofile_play", args=[audio.pk])
        return format_html('<audio controls preload="none" src="{}"></audio>', url)

    def get_urls(self):
        return [
            path("<int:pk>/play/", self.admin_site.admin_view(self.play), name="config_objects_audiofile_play"),
            *super().get_urls(),
        ]

    def play(self, request, pk):
        """The audio, to logged-in staff who may view audio files; never from a public URL."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        audio = get_object_or_404(m.AudioFile, pk=pk)
        return FileResponse(audio.file.open("rb"), content_type="audio/wav", filename=audio.name)
