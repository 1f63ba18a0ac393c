"""Admin pages for the 17 configuration objects and the 3 catalogues, under "Contact Center"."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from config_objects import models as m
from config_objects.admin_forms import ConfigAdminChecks, ConfigInlineChecks, LinkedObjectForm, link_form
from config_objects.wav import NotWave, sha256_of, wave_header


class ConfigAdmin(admin.ModelAdmin):
    checks_class = ConfigAdminChecks
    list_per_page = 50
    show_full_result_count = False

    def __init__(self, model, admin_site):
        self.form = link_form(model)
        super().__init__(model, admin_site)
        if not self.search_fields:
            self.search_fields = [model.key_field]


class LinkedInline(admin.TabularInline):
    checks_class = ConfigInlineChecks
    extra = 0

    def __init__(self, parent_model, admin_site):
        self.form = link_form(self.model)
        super().__init__(parent_model, admin_site)


@admin.register(m.MultimediaProfile, m.DesktopLayout, m.DialPlan)
class CatalogueAdmin(ConfigAdmin):
    list_display = ["name", "description"]


@admin.register(m.Site)
class SiteAdmin(ConfigAdmin):
    list_display = ["name", "description", "multimedia_profile"]
    list_filter = ["multimedia_profile"]
    list_select_related = ["multimedia_profile"]


@admin.register(m.WorkType)
class WorkTypeAdmin(ConfigAdmin):
    list_display = ["name", "type", "description"]
    list_filter = ["type"]


@admin.register(m.EntryPoint)
class EntryPointAdmin(ConfigAdmin):
    list_display = ["name", "channel_type", "social_channel_type", "timezone", "service_level_threshold"]
    list_filter = ["channel_type", "social_channel_type"]


@admin.register(m.OutdialEntryPoint)
class OutdialEntryPointAdmin(ConfigAdmin):
    list_display = ["name", "timezone", "service_level_threshold", "outdial_queue"]
    list_select_related = ["outdial_queue"]


class DistributionGroupFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        groups = [
            (
                form.cleaned_data["seq"],
                form.cleaned_data.get("fallback_time"),
                list(form.cleaned_data.get("teams") or []),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = m.validate_distribution_groups(groups)
        if problems:
            raise ValidationError(problems)


class QueueGroupInline(LinkedInline):
    model = m.QueueGroup
    formset = DistributionGroupFormSet
    min_num = 1


class OutdialQueueGroupInline(LinkedInline):
    model = m.OutdialQueueGroup
    formset = DistributionGroupFormSet
    min_num = 1


@admin.register(m.Queue)
class QueueAdmin(ConfigAdmin):
    list_display = ["name", "channel_type", "routing_type", "timezone", "max_time_in_queue", "default_music"]
    list_filter = ["channel_type", "routing_type", "permit_recording"]
    list_select_related = ["default_music"]
    inlines = [QueueGroupInline]
    autocomplete_fields = ["default_music"]

    def get_readonly_fields(self, request, obj=None):
        return ["routing_type"] if obj else []


@admin.register(m.OutdialQueue)
class OutdialQueueAdmin(ConfigAdmin):
    list_display = ["name", "timezone", "service_level_threshold", "default_music"]
    list_filter = ["permit_recording"]
    list_select_related = ["default_music"]
    inlines = [OutdialQueueGroupInline]
    autocomplete_fields = ["default_music"]


@admin.register(m.SkillDefinition)
class SkillDefinitionAdmin(ConfigAdmin):
    list_display = ["name", "type", "enum_values", "service_level_threshold"]
    list_filter = ["type"]

    def get_readonly_fields(self, request, obj=None):
        return ["type"] if obj else []


class SkillProfileSkillInline(LinkedInline):
    model = m.SkillProfileSkill
    min_num = 1
    autocomplete_fields = ["skill"]


@admin.register(m.SkillProfile)
class SkillProfileAdmin(ConfigAdmin):
    list_display = ["name", "description"]
    list_filter = ["skills"]
    inlines = [SkillProfileSkillInline]


@admin.register(m.AuxiliaryCode)
class AuxiliaryCodeAdmin(ConfigAdmin):
    list_display = ["name", "work_type", "kind", "is_default", "description"]
    list_filter = ["kind", "is_default", "work_type"]
    list_select_related = ["work_type"]


class AddressBookEntryInline(LinkedInline):
    model = m.AddressBookEntry


@admin.register(m.AddressBook)
class AddressBookAdmin(ConfigAdmin):
    list_display = ["name", "parent_type", "site", "description"]
    list_filter = ["parent_type", "site"]
    list_select_related = ["site"]
    inlines = [AddressBookEntryInline]

    def get_readonly_fields(self, request, obj=None):
        return ["parent_type"] if obj else []


@admin.register(m.Team)
class TeamAdmin(ConfigAdmin):
    list_display = ["name", "site", "type", "skill_profile", "multimedia_profile", "capacity"]
    list_filter = ["type", "site", "multimedia_profile"]
    list_select_related = ["site", "skill_profile", "multimedia_profile"]
    autocomplete_fields = ["skill_profile"]

    def get_readonly_fields(self, request, obj=None):
        return ["site", "type"] if obj else []


@admin.register(m.AgentProfile)
class AgentProfileAdmin(ConfigAdmin):
    list_display = ["name", "parent_site", "wrap_up_type", "outdial_enabled", "dial_plan_enabled"]
    list_filter = ["parent_site", "wrap_up_type", "outdial_enabled", "dial_plan_enabled"]
    list_select_related = ["parent_site"]
    fieldsets = [
        (None, {"fields": ["name", "description", "parent_site", "screen_popups", "last_agent_routing"]}),
        (
            "Wrap up and idle",
            {
                "fields": [
                    "wrap_up_type",
                    "auto_wrap_up_time",
                    "allow_auto_wrap_up_extension",
                    "agent_available_after_outdial",
                    "wrap_up_options",
                    "wrap_up_codes",
                    "idle_options",
                    "idle_codes",
                ]
            },
        ),
        (
            "Transfers and outdial",
            {
                "fields": [
                    "transfer_options",
                    "transfer_targets",
                    "buddy_team_option",
                    "buddy_teams",
                    "consult_to_queue",
                    "outdial_enabled",
                    "outdial_entry_point",
                    "address_book",
                    "dial_plan_enabled",
                    "dial_plans",
                    "outdial_ani",
                    "dn_validation_option",
                    "validation_criteria",
                ]
            },
        ),
        (
            "Statistics and alerts",
            {
                "fields": [
                    "agent_statistics",
                    "queue_statistics_option",
                    "selected_queues",
                    "logged_in_team_statistics",
                    "team_statistics_option",
                    "selected_teams",
                    "agent_threshold_alerts_enabled",
                    "agent_threshold_alerts",
                ]
            },
        ),
    ]


@admin.register(m.ContactCenterUser)
class ContactCenterUserAdmin(ConfigAdmin):
    list_display = ["email", "first_name", "last_name", "user_profile", "site", "contact_center_enabled"]
    list_filter = ["contact_center_enabled", "user_profile", "site"]
    list_select_related = ["user_profile", "site"]
    search_fields = ["email", "first_name", "last_name", "external_id"]
    autocomplete_fields = ["skill_profile", "desktop_profile"]


@admin.register(m.UserProfile)
class UserProfileAdmin(ConfigAdmin):
    list_display = ["name", "profile_type", "active", "permission_access_level", "resource_access_level"]
    list_filter = ["profile_type", "active"]


class AudioFileForm(LinkedObjectForm):
    """An uploaded file must be a real WAV; its format and duration come from its header."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "content_type"):  # a new upload, not the stored file
            try:
                self.wave = wave_header(upload, size=upload.size)
            except NotWave as error:
                raise ValidationError(f"'{upload.name}' {error}") from None
            upload.seek(0)
            self.checksum = sha256_of(upload)
            upload.seek(0)
        return upload

    def save(self, commit=True):
        audio = super().save(commit=False)
        if hasattr(self, "wave"):
            audio.content_type = "audio/wav"
            audio.size = self.cleaned_data["file"].size
            audio.duration, audio.format, audio.sha256 = self.wave["duration"], self.wave["format"], self.checksum
        if commit:
            audio.save()
        return audio


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


@admin.register(m.DNMapping)
class DNMappingAdmin(ConfigAdmin):
    list_display = ["dialed_number", "entry_point", "region"]
    list_filter = ["region"]
    list_select_related = ["entry_point"]
    autocomplete_fields = ["entry_point"]


class OutdialANIEntryInline(LinkedInline):
    model = m.OutdialANIEntry


@admin.register(m.OutdialANI)
class OutdialANIAdmin(ConfigAdmin):
    list_display = ["name", "description"]
    inlines = [OutdialANIEntryInline]
