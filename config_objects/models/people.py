"""Teams, profiles and the contact-center users (agents and supervisors) that use them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from config_objects.models.base import UNCHANGED, ConfigObject, NamedObject, unique_key
from config_objects.models.fields import (
    DIAL_NUMBER,
    TEAM_NAME,
    bool_field,
    count_field,
    description_field,
    english,
    enum_field,
    labelled,
    messages,
    name_field,
    ref_field,
    seconds_field,
    text_field,
)
from config_objects.models.links import link_model, links


class Team(NamedObject):
    class Type(models.TextChoices):
        AGENT = "AGENT"
        CAPACITY = "CAPACITY"

    fixed_fields = ("site", "type")

    name = name_field(validators=[TEAM_NAME])
    site = ref_field("config_objects.Site", _("Site"), related_name="teams")
    type = enum_field(_("Type"), Type)
    multimedia_profile = ref_field("config_objects.MultimediaProfile", _("Multimedia Profile"), optional=True)
    skill_profile = ref_field("config_objects.SkillProfile", _("Skill Profile"), optional=True)
    dn = text_field(_("DN"), 20, validators=[DIAL_NUMBER])
    capacity = count_field(_("Capacity"), optional=True, minimum=1)
    desktop_layout = ref_field("config_objects.DesktopLayout", _("Desktop Layout"), optional=True)

    class Meta(NamedObject.Meta):
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def clean(self):
        super().clean()
        errors = {}
        if self.type == self.Type.CAPACITY:
            if not self.dn:
                errors["dn"] = _("DN is required for CAPACITY teams")
            if self.capacity is None:
                errors["capacity"] = _("Capacity is required for CAPACITY teams")
            if self.skill_profile_id is not None:
                errors["skill_profile"] = _("Skill Profile '%(value)s' is not allowed for CAPACITY teams") % {
                    "value": self.skill_profile
                }
            if self.multimedia_profile_id is not None:
                errors["multimedia_profile"] = _("Multimedia Profile '%(value)s' is not allowed for CAPACITY teams") % {
                    "value": self.multimedia_profile
                }
        elif self.capacity is not None:
            errors["capacity"] = _("Capacity '%(value)s' is allowed only for CAPACITY teams") % {"value": self.capacity}
        if errors:
            raise ValidationError(errors)


class UserProfile(NamedObject):
    class ProfileType(models.TextChoices):
        ADMINISTRATOR = "ADMINISTRATOR"
        ADMINISTRATOR_ONLY = "ADMINISTRATOR_ONLY"
        SUPERVISOR = "SUPERVISOR"
        PREMIUM_AGENT = "PREMIUM_AGENT"
        STANDARD_AGENT = "STANDARD_AGENT"
        ANALYZER_ADMINISTRATOR = "ANALYZER_ADMINISTRATOR"
        ANALYZER_SUPERVISOR = "ANALYZER_SUPERVISOR"
        ANALYZER_USER = "ANALYZER_USER"

    class AccessLevel(models.TextChoices):
        ALL = "ALL"
        SPECIFIC = "SPECIFIC"

    # The types whose users may supervise a call monitoring schedule.
    SUPERVISING = frozenset({ProfileType.SUPERVISOR, ProfileType.ADMINISTRATOR})

    description = description_field()
    profile_type = enum_field(_("Profile Type"), ProfileType)
    active = bool_field(_("Active"), default=True)
    permission_access_level = enum_field(_("Permission Access Level"), AccessLevel)
    resource_access_level = enum_field(_("Resource Access Level"), AccessLevel)

    class Meta(NamedObject.Meta):
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def clean(self):
        super().clean()
        if self.profile_type in self.SUPERVISING or self.changed_from("profile_type") not in self.SUPERVISING:
            return
        # A monitoring schedule's supervisor must keep a supervising profile (SPEC row 23).
        used = (
            ContactCenterUser.objects.filter(user_profile=self, supervised_monitoring_schedules__isnull=False)
            .order_by("supervised_monitoring_schedules__name")
            .values_list("supervised_monitoring_schedules__name", "email")
            .first()
        )
        if used:
            raise ValidationError(
                {
                    "profile_type": _(
                        "Profile Type cannot become %(value)s: user '%(user)s' of this profile is the Supervisor of "
                        "Call Monitoring Schedule '%(schedule)s', which needs SUPERVISOR or ADMINISTRATOR"
                    )
                    % {"value": self.profile_type, "user": used[1], "schedule": used[0]}
                }
            )


class Scope(models.TextChoices):
    ALL = "ALL"
    SPECIFIC = "SPECIFIC"


class ScopeOrNone(models.TextChoices):
    ALL = "ALL"
    SPECIFIC = "SPECIFIC"
    NONE = "NONE"


AgentProfileWrapUpCode = link_model("AgentProfileWrapUpCode", "AgentProfile", "AuxiliaryCode")
AgentProfileIdleCode = link_model("AgentProfileIdleCode", "AgentProfile", "AuxiliaryCode")
AgentProfileTransferTarget = link_model("AgentProfileTransferTarget", "AgentProfile", "Queue")
AgentProfileBuddyTeam = link_model("AgentProfileBuddyTeam", "AgentProfile", "Team")
AgentProfileDialPlan = link_model("AgentProfileDialPlan", "AgentProfile", "DialPlan")
AgentProfileSelectedQueue = link_model("AgentProfileSelectedQueue", "AgentProfile", "Queue")
AgentProfileSelectedTeam = link_model("AgentProfileSelectedTeam", "AgentProfile", "Team")


class AgentProfile(NamedObject):
    """Also called Desktop Profile: what an agent's desktop offers."""

    class WrapUpType(models.TextChoices):
        MANUAL = "MANUAL"
        AUTO = "AUTO"

    class DNValidation(models.TextChoices):
        UNRESTRICTED = "UNRESTRICTED"
        PROVISIONED_VALUE = "PROVISIONED VALUE"
        VALIDATION_CRITERIA = "VALIDATION CRITERIA"

    # (option field, list field, kind of auxiliary code the list must hold, if any)
    option_lists = (
        ("wrap_up_options", "wrap_up_codes", "WRAP_UP_CODE"),
        ("idle_options", "idle_codes", "IDLE_CODE"),
        ("transfer_options", "transfer_targets", None),
        ("buddy_team_option", "buddy_teams", None),
        ("queue_statistics_option", "selected_queues", None),
        ("team_statistics_option", "selected_teams", None),
    )

    description = description_field()
    parent_site = ref_field("config_objects.Site", _("Parent Site"), optional=True)
    screen_popups = bool_field(_("Screen Popups"))
    last_agent_routing = bool_field(_("Last Agent Routing"))
    wrap_up_type = enum_field(_("Wrap Up Type"), WrapUpType, default=WrapUpType.MANUAL)
    auto_wrap_up_time = seconds_field(_("Auto Wrap Up Time"), optional=True)
    agent_available_after_outdial = bool_field(_("Agent Available After Outdial"))
    allow_auto_wrap_up_extension = bool_field(_("Allow Auto Wrap Up Extension"))
    wrap_up_options = enum_field(_("Wrap Up Options"), Scope, default=Scope.ALL)
    wrap_up_codes = links("AuxiliaryCode", "AgentProfileWrapUpCode", _("Wrap Up Codes"))
    idle_options = enum_field(_("Idle Options"), Scope, default=Scope.ALL)
    idle_codes = links("AuxiliaryCode", "AgentProfileIdleCode", _("Idle Codes"))
    transfer_options = enum_field(_("Transfer Options"), Scope, default=Scope.ALL)
    transfer_targets = links("Queue", "AgentProfileTransferTarget", _("Transfer Targets"))
    buddy_team_option = enum_field(_("Buddy Team Option"), ScopeOrNone, default=ScopeOrNone.ALL)
    buddy_teams = links("Team", "AgentProfileBuddyTeam", _("Buddy Teams"))
    consult_to_queue = bool_field(_("Consult To Queue"))
    outdial_enabled = bool_field(_("Outdial Enabled"))
    outdial_entry_point = ref_field("config_objects.OutdialEntryPoint", _("Outdial EP"), optional=True)
    address_book = ref_field("config_objects.AddressBook", _("Address Book"), optional=True)
    dial_plan_enabled = bool_field(_("Dial Plan Enabled"))
    dial_plans = links("DialPlan", "AgentProfileDialPlan", _("Dial Plan"))
    outdial_ani = ref_field("config_objects.OutdialANI", _("Outdial ANI"), optional=True)
    dn_validation_option = enum_field(_("DN Validation Option"), DNValidation, default=DNValidation.UNRESTRICTED)
    validation_criteria = text_field(_("Validation Criteria"), 255)
    agent_statistics = bool_field(_("Agent Statistics"))
    queue_statistics_option = enum_field(_("Queue Statistics Option"), ScopeOrNone, default=ScopeOrNone.ALL)
    selected_queues = links("Queue", "AgentProfileSelectedQueue", _("Selected Queues"))
    logged_in_team_statistics = bool_field(_("Logged In Team Statistics"))
    team_statistics_option = enum_field(_("Team Statistics Option"), ScopeOrNone, default=ScopeOrNone.ALL)
    selected_teams = links("Team", "AgentProfileSelectedTeam", _("Selected Teams"))
    agent_threshold_alerts_enabled = bool_field(_("Agent Threshold Alerts Enabled"))
    agent_threshold_alerts = text_field(_("Agent Threshold Alerts"), 255)

    class Meta(NamedObject.Meta):
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")

    def clean(self):
        super().clean()
        errors = {}
        if self.wrap_up_type == self.WrapUpType.AUTO and self.auto_wrap_up_time is None:
            errors["auto_wrap_up_time"] = _("Auto Wrap Up Time is required when Wrap Up Type is AUTO")
        if self.outdial_enabled and self.outdial_entry_point_id is None:
            errors["outdial_entry_point"] = _("Outdial EP is required when Outdial Enabled is TRUE")
        if self.dn_validation_option == self.DNValidation.VALIDATION_CRITERIA and not self.validation_criteria:
            errors["validation_criteria"] = _(
                "Validation Criteria is required for DN Validation Option VALIDATION CRITERIA"
            )
        errors |= self.user_problems()
        if errors:
            raise ValidationError(errors)

    def user_problems(self) -> dict:
        """A Parent Site that would leave a user who has this Desktop Profile at another site (SPEC 2:
        a user's Desktop Profile, when it has a Parent Site, must have the user's Site)."""
        if self.parent_site_id is None or self.changed_from("parent_site_id") is UNCHANGED:
            return {}
        users = ContactCenterUser.objects.filter(desktop_profile_id=self.pk).exclude(site_id=self.parent_site_id)
        user = users.select_related("site").order_by("email").first()
        if user is None:
            return {}
        return {
            "parent_site": _(
                "Parent Site cannot be '%(site)s' while user '%(user)s', whose site is '%(own)s', has this Desktop "
                "Profile"
            )
            % {"site": self.parent_site, "user": user, "own": user.site or ""}
        }

    def clean_links(self, chosen: dict[str, list]) -> None:
        """Rules between the option fields and their lists, given the lists about to be saved."""
        errors = {}
        for option_name, list_name, code_kind in self.option_lists:
            option = getattr(self, option_name)
            items = chosen.get(list_name, [])
            named = {
                "list": english(self._meta.get_field(list_name).verbose_name),
                "option": english(self._meta.get_field(option_name).verbose_name),
                "value": option,
            }
            if option == Scope.SPECIFIC and not items:
                errors[list_name] = _("%(list)s is required when %(option)s is SPECIFIC") % named
            elif option != Scope.SPECIFIC and items:
                errors[list_name] = _("%(list)s must be empty when %(option)s is %(value)s") % named
            wrong_kind = [code for code in items if code_kind and code.kind != code_kind]
            if wrong_kind:
                errors[list_name] = _("%(list)s: '%(code)s' is not a %(kind)s auxiliary code") % {
                    "list": named["list"],
                    "code": wrong_kind[0],
                    "kind": code_kind,
                }
        if self.dial_plan_enabled and not chosen.get("dial_plans"):
            errors["dial_plans"] = _("Dial Plan is required when Dial Plan Enabled is TRUE")
        if errors:
            raise ValidationError(errors)


ContactCenterUserTeam = link_model("ContactCenterUserTeam", "ContactCenterUser", "Team")


class ContactCenterUser(ConfigObject):
    """An agent or supervisor of the contact center, keyed by email. Not a login of this admin."""

    key_field = "email"

    email = models.EmailField(
        "Email",
        max_length=254,
        error_messages=messages("Email")
        | {"invalid": labelled(gettext_noop("%(column)s '%(value)s' is not a valid email address"), "Email")},
    )
    first_name = text_field(_("First Name"), 80)
    last_name = text_field(_("Last Name"), 80)
    user_profile = ref_field(UserProfile, _("User Profile"))
    contact_center_enabled = bool_field(_("Contact Center Enabled"), default=True)
    site = ref_field("config_objects.Site", _("Site"), optional=True)
    teams = links("Team", "ContactCenterUserTeam", _("Teams"))
    skill_profile = ref_field("config_objects.SkillProfile", _("Skill Profile"), optional=True)
    desktop_profile = ref_field(AgentProfile, _("Desktop Profile"), optional=True)
    multimedia_profile = ref_field("config_objects.MultimediaProfile", _("Multimedia Profile"), optional=True)
    external_id = text_field(_("External Id"), 80)
    default_dn = text_field(_("Default DN"), 20, validators=[DIAL_NUMBER])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = unique_key("email")
        ordering = ["email"]

    def normalize(self):
        self.email = (self.email or "").strip().lower()
        super().normalize()

    def clean(self):
        super().clean()
        profile = self.desktop_profile
        if profile is not None and profile.parent_site_id is not None and profile.parent_site_id != self.site_id:
            raise ValidationError(
                {
                    "desktop_profile": _(
                        "Desktop Profile '%(profile)s' belongs to site '%(site)s', not to the user's site '%(own)s'"
                    )
                    % {"profile": profile, "site": profile.parent_site, "own": self.site or ""}
                }
            )
        errors = self.schedule_problems()
        if errors:
            raise ValidationError(errors)

    def schedule_problems(self) -> dict:
        """A change that would make the user unfit for a schedule that names it (SPEC rows 22-23):
        recorded users and monitored agents stay Contact Center Enabled; a supervisor also keeps a
        Default DN and a supervising User Profile."""
        errors = {}
        if self.changed_from("contact_center_enabled") is not UNCHANGED and not self.contact_center_enabled:
            roles = (
                (
                    self.call_recording_schedules,
                    _(
                        "Contact Center Enabled cannot be Off while Call Recording Schedule '%(schedule)s' lists this "
                        "user"
                    ),
                ),
                (
                    self.supervised_monitoring_schedules,
                    _(
                        "Contact Center Enabled cannot be Off while Call Monitoring Schedule '%(schedule)s' has this "
                        "user as Supervisor"
                    ),
                ),
                (
                    self.agent_monitoring_schedules,
                    _(
                        "Contact Center Enabled cannot be Off while Call Monitoring Schedule '%(schedule)s' has this "
                        "user as Agent"
                    ),
                ),
            )
            for schedules, message in roles:
                name = schedules.order_by("name").values_list("name", flat=True).first()
                if name is not None:
                    errors["contact_center_enabled"] = message % {"schedule": name}
                    break
        lost_dn = self.changed_from("default_dn") is not UNCHANGED and not self.default_dn
        lost_profile = (
            self.changed_from("user_profile_id") is not UNCHANGED
            and self.user_profile_id is not None
            and self.user_profile.profile_type not in UserProfile.SUPERVISING
        )
        if lost_dn or lost_profile:
            name = self.supervised_monitoring_schedules.order_by("name").values_list("name", flat=True).first()
            if name is not None and lost_dn:
                errors["default_dn"] = _(
                    "Default DN cannot be empty while Call Monitoring Schedule '%(schedule)s' has this user as "
                    "Supervisor"
                ) % {"schedule": name}
            if name is not None and lost_profile:
                errors["user_profile"] = _(
                    "User Profile '%(profile)s' is of type %(type)s, but Call Monitoring Schedule '%(schedule)s' has "
                    "this user as Supervisor, which needs SUPERVISOR or ADMINISTRATOR"
                ) % {"profile": self.user_profile, "type": self.user_profile.profile_type, "schedule": name}
        return errors

    def clean_links(self, chosen: dict[str, list]) -> None:
        teams = chosen.get("teams", [])
        if not teams:
            return
        if self.site_id is None:
            raise ValidationError({"teams": _("Teams need a Site")})
        foreign = [team for team in teams if team.site_id != self.site_id]
        if foreign:
            raise ValidationError(
                {
                    "teams": _("Teams: team '%(team)s' belongs to site '%(site)s', not '%(own)s'")
                    % {"team": foreign[0], "site": foreign[0].site, "own": self.site}
                }
            )
        if self.desktop_profile_id is None:
            raise ValidationError({"desktop_profile": _("Desktop Profile is required when Site and Teams are set")})
