"""Admin pages for the configuration objects, under "Contact Center"."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from config_objects import models as m
from config_objects.admin_audio import AudioFileAdmin  # noqa: F401  registers the audio files' admin
from config_objects.admin_base import ConfigAdmin, LinkedInline
from config_objects.admin_hours import WorkingHoursAdmin  # noqa: F401  registers SPEC rows 25-27's admins
from config_objects.admin_schedules import CallRecordingScheduleAdmin  # noqa: F401  registers the schedules' admins
from config_objects.admin_variables import GlobalVariableAdmin  # noqa: F401  registers variables' and thresholds' admins


@admin.register(m.MultimediaProfile)
class MultimediaProfileAdmin(ConfigAdmin):
    list_display = ["name", "blending_mode", "telephony", "chat", "email", "social", "description"]
    list_filter = ["blending_mode"]


@admin.register(m.DesktopLayout)
class DesktopLayoutAdmin(ConfigAdmin):
    list_display = ["name", "description"]


@admin.register(m.DialPlan)
class DialPlanAdmin(ConfigAdmin):
    list_display = ["name", "regular_expression", "prefix", "description"]


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

    def get_readonly_fields(self, request, obj=None):
        return ["routing_type"] if obj else []


@admin.register(m.OutdialQueue)
class OutdialQueueAdmin(ConfigAdmin):
    list_display = ["name", "timezone", "service_level_threshold", "default_music"]
    list_filter = ["permit_recording"]
    list_select_related = ["default_music"]
    inlines = [OutdialQueueGroupInline]


@admin.register(m.SkillDefinition)
class SkillDefinitionAdmin(ConfigAdmin):
    list_display = ["name", "type", "enum_values", "service_level_threshold"]
    list_filter = ["type"]

    def get_readonly_fields(self, request, obj=None):
        return ["type"] if obj else []


class SkillProfileSkillInline(LinkedInline):
    model = m.SkillProfileSkill
    min_num = 1


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
            _("Wrap up and idle"),
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
            _("Transfers and outdial"),
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
            _("Statistics and alerts"),
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
    # First and last name share a column, so the list fits 1280 px beside the navigation sidebar.
    list_display = ["email", "full_name", "user_profile", "site", "contact_center_enabled"]
    list_filter = ["contact_center_enabled", "user_profile", "site"]
    list_select_related = ["user_profile", "site"]
    search_fields = ["email", "first_name", "last_name", "external_id"]

    @admin.display(description=_("Name"), ordering="last_name")
    def full_name(self, user):
        return " ".join(part for part in (user.first_name, user.last_name) if part) or "\u2013"


@admin.register(m.UserProfile)
class UserProfileAdmin(ConfigAdmin):
    list_display = ["name", "profile_type", "active", "permission_access_level", "resource_access_level"]
    list_filter = ["profile_type", "active"]


@admin.register(m.DNMapping)
class DNMappingAdmin(ConfigAdmin):
    list_display = ["dialed_number", "entry_point", "region"]
    list_filter = ["region"]
    list_select_related = ["entry_point"]


class OutdialANIEntryInline(LinkedInline):
    model = m.OutdialANIEntry


@admin.register(m.OutdialANI)
class OutdialANIAdmin(ConfigAdmin):
    list_display = ["name", "description"]
    inlines = [OutdialANIEntryInline]
