"""The audio files' admin: uploads must be real WAVs, and staff who may view them can listen."""

from contextlib import nullcontext
from pathlib import PurePath

from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config_objects import models as m
from config_objects.admin_base import ConfigAdmin
from config_objects.admin_forms import LinkedObjectForm
from config_objects.wav import NotWave


class StoredFile:
    """What "Currently:" shows of a stored file: its name, linked to a view that checks access."""

    def __init__(self, name: str, url: str):
        self.name = name
        self.url = url

    def __str__(self) -> str:
        return self.name


class PrivateFileWidget(AdminFileWidget):
    """Audio files have no public URL (MEDIA_URL is not served): "Currently:" links to the staff-only
    play view instead of the storage path, which would be a 404."""

    url = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.url:
            context["widget"]["value"] = StoredFile(PurePath(str(value)).name, self.url)
        return context


class AudioFileForm(LinkedObjectForm):
    """An uploaded file must be a real WAV; its format and duration come from its header."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            widget = PrivateFileWidget(attrs=field.widget.attrs)
            widget.is_required = field.widget.is_required
            if self.instance.pk:
                widget.url = reverse("admin:config_objects_audiofile_play", args=[self.instance.pk])
            field.widget = widget

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "content_type"):  # a new upload, not the stored file

            def from_the_start():
                upload.seek(0)
                return nullcontext(upload)

            try:
                self.instance.read_recording(from_the_start, upload.size)
            except NotWave as error:
                raise ValidationError(_("'%(name)s' %(problem)s") % {"name": upload.name, "problem": error}) from None
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

    @admin.display(description=gettext_lazy("Listen"))
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
