"""Valid configuration objects for tests: build_* returns an unsaved object whose references exist,
make_* validates and saves it."""

import datetime
import io
import wave

from django.core.files.base import ContentFile

from config_objects import models as m


def saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def multimedia_profile():
    return m.MultimediaProfile.objects.get(name="Default Multimedia Profile")


def build_site(name="Belgrade", **fields):
    return m.Site(name=name, multimedia_profile=multimedia_profile(), **fields)


def make_site(name="Belgrade", **fields):
    return saved(build_site(name, **fields))


def build_work_type(name="Break", **fields):
    return m.WorkType(name=name, **({"type": "IDLE_CODE"} | fields))


def make_work_type(name="Break", **fields):
    return saved(build_work_type(name, **fields))


def build_entry_point(name="Sales", **fields):
    defaults = {"service_level_threshold": 20, "timezone": "Europe/Belgrade", "channel_type": "TELEPHONY"}
    return m.EntryPoint(name=name, **(defaults | fields))


def make_entry_point(name="Sales", **fields):
    return saved(build_entry_point(name, **fields))


def build_outdial_entry_point(name="Outbound Sales", **fields):
    return m.OutdialEntryPoint(name=name, **({"service_level_threshold": 20, "timezone": "UTC"} | fields))


def make_outdial_entry_point(name="Outbound Sales", **fields):
    return saved(build_outdial_entry_point(name, **fields))


QUEUE_DEFAULTS = {"service_level_threshold": 30, "timezone": "Europe/Belgrade"}


def build_queue(name="Support", **fields):
    defaults = QUEUE_DEFAULTS | {
        "channel_type": "TELEPHONY",
        "max_time_in_queue": 600,
        "routing_type": "LONGEST_AVAILABLE_AGENT",
    }
    return m.Queue(name=name, **(defaults | fields))


def make_queue(name="Support", **fields):
    return saved(build_queue(name, **fields))


def build_outdial_queue(name="Callbacks", **fields):
    return m.OutdialQueue(name=name, **(QUEUE_DEFAULTS | fields))


def make_outdial_queue(name="Callbacks", **fields):
    return saved(build_outdial_queue(name, **fields))


def build_skill_definition(name="Language", **fields):
    return m.SkillDefinition(name=name, **({"service_level_threshold": 0, "type": "PROFICIENCY"} | fields))


def make_skill_definition(name="Language", **fields):
    return saved(build_skill_definition(name, **fields))


def build_skill_profile(name="Tier 1", **fields):
    return m.SkillProfile(name=name, **fields)


def make_skill_profile(name="Tier 1", **fields):
    profile = saved(build_skill_profile(name, **fields))
    skill = m.SkillDefinition.objects.filter(type="PROFICIENCY").first() or make_skill_definition()
    saved(m.SkillProfileSkill(profile=profile, skill=skill, value="7"))
    return profile


def build_auxiliary_code(name="Lunch", **fields):
    work_type = fields.pop("work_type", None) or m.WorkType.objects.filter(name="Break").first() or make_work_type()
    return m.AuxiliaryCode(name=name, work_type=work_type, **({"is_default": True} | fields))


def make_auxiliary_code(name="Lunch", **fields):
    return saved(build_auxiliary_code(name, **fields))


def build_address_book(name="Partners", **fields):
    return m.AddressBook(name=name, **({"parent_type": "ORGANIZATION"} | fields))


def make_address_book(name="Partners", **fields):
    return saved(build_address_book(name, **fields))


def build_team(name="Tier 1 Belgrade", **fields):
    site = fields.pop("site", None) or m.Site.objects.filter(name="Belgrade").first() or make_site()
    return m.Team(name=name, site=site, **({"type": "AGENT"} | fields))


def make_team(name="Tier 1 Belgrade", **fields):
    return saved(build_team(name, **fields))


def build_agent_profile(name="Agents", **fields):
    return m.AgentProfile(name=name, **fields)


def make_agent_profile(name="Agents", **fields):
    return saved(build_agent_profile(name, **fields))


def build_user_profile(name="Standard Agent", **fields):
    defaults = {"profile_type": "STANDARD_AGENT", "permission_access_level": "ALL", "resource_access_level": "ALL"}
    return m.UserProfile(name=name, **(defaults | fields))


def make_user_profile(name="Standard Agent", **fields):
    return saved(build_user_profile(name, **fields))


def build_user(email="ana@example.com", **fields):
    profile = m.UserProfile.objects.filter(name="Standard Agent").first() or make_user_profile()
    return m.ContactCenterUser(email=email, user_profile=profile, **fields)


def make_user(email="ana@example.com", **fields):
    return saved(build_user(email, **fields))


def wav_bytes(seconds=0.1, rate=8000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x00\x00" * int(rate * seconds))
    return buffer.getvalue()


def build_audio_file(name="hold-music.wav", **fields):
    audio = m.AudioFile(name=name, content_type="audio/wav", **fields)
    audio.file.save(name, ContentFile(wav_bytes()), save=False)
    return audio


def make_audio_file(name="hold-music.wav", **fields):
    return saved(build_audio_file(name, **fields))


def build_dn_mapping(dialed_number="+14155550100", **fields):
    entry_point = fields.pop("entry_point", None) or m.EntryPoint.objects.filter(name="Sales").first()
    return m.DNMapping(dialed_number=dialed_number, entry_point=entry_point or make_entry_point(), **fields)


def make_dn_mapping(dialed_number="+14155550100", **fields):
    return saved(build_dn_mapping(dialed_number, **fields))


def build_outdial_ani(name="Main numbers", **fields):
    return m.OutdialANI(name=name, **fields)


def make_outdial_ani(name="Main numbers", **fields):
    return saved(build_outdial_ani(name, **fields))


def build_override(name="Christmas Eve", **fields):
    return m.Override(name=name, **({"timezone": "Europe/Belgrade"} | fields))


def make_override(name="Christmas Eve", **fields):
    override = saved(build_override(name, **fields))
    start, end = datetime.datetime(2026, 12, 24, 14, 0), datetime.datetime(2026, 12, 24, 23, 59)
    saved(m.OverridePeriod(override=override, name="Early close", start=start, end=end, working_hours=False))
    return override


def build_holiday_list(name="Serbian Holidays", **fields):
    return m.HolidayList(name=name, **fields)


def make_holiday_list(name="Serbian Holidays", **fields):
    holidays = saved(build_holiday_list(name, **fields))
    start, end = datetime.date(2027, 1, 1), datetime.date(2027, 1, 2)
    saved(m.Holiday(holiday_list=holidays, name="New Year", start_date=start, end_date=end, frequency="YEARLY"))
    return holidays


def build_working_hours(name="Office Hours", **fields):
    return m.WorkingHours(name=name, **({"timezone": "Europe/Belgrade"} | fields))


def make_working_hours(name="Office Hours", **fields):
    hours = saved(build_working_hours(name, **fields))
    start, end = datetime.time(8, 0), datetime.time(16, 0)
    saved(m.Shift(working_hours=hours, name="Weekdays", days="MON|TUE|WED|THU|FRI", start_time=start, end_time=end))
    return hours


def build_global_variable(name="language_code", **fields):
    defaults = {"variable_type": "STRING", "agent_viewable": True, "desktop_label": "Language"}
    return m.GlobalVariable(name=name, **(defaults | fields))


def make_global_variable(name="language_code", **fields):
    return saved(build_global_variable(name, **fields))


def build_threshold_rule(name="Queue too long", **fields):
    if "entity_type" not in fields:
        queue = m.Queue.objects.filter(name="Support").first() or make_queue()
        fields = {"entity_type": "QUEUE", "entity": queue.name} | fields
    defaults = {"metric": "Number of Calls in Queue", "operand": "GREATER_THAN", "trigger_value": 10}
    return m.ThresholdRule(name=name, **(defaults | {"trigger_interval": 60} | fields))


def make_threshold_rule(name="Queue too long", **fields):
    return saved(build_threshold_rule(name, **fields))


SCHEDULE_DEFAULTS = {
    "timezone": "Europe/Belgrade",
    "start_date": datetime.date(2026, 1, 1),
    "days": "MON|TUE|WED|THU|FRI",
    "start_time": datetime.time(9, 0),
    "end_time": datetime.time(17, 0),
}


def make_recorded_queue(name="Recorded Line", **fields):
    """A TELEPHONY queue that permits recording and monitoring, with one distribution group, as an
    import would make it (so that an export of all queues imports back)."""
    queue = make_queue(name, **({"permit_recording": True, "permit_monitoring": True} | fields))
    team = m.Team.objects.filter(name="Tier 1 Belgrade").first() or make_team()
    m.QueueGroup.objects.create(queue=queue, seq=1).teams.set([team])
    return queue


def supervisor_profile(name="Supervisor", profile_type="SUPERVISOR"):
    return m.UserProfile.objects.filter(name=name).first() or make_user_profile(name, profile_type=profile_type)


def make_supervisor(email="sara@example.com", **fields):
    """A user who may supervise a call monitoring schedule: Contact Center Enabled, a SUPERVISOR
    profile and a Default DN."""
    found = m.ContactCenterUser.objects.filter(email=email).first()
    if found is not None:
        return found
    fields = {"user_profile": supervisor_profile(), "default_dn": "+38111000"} | fields
    return saved(m.ContactCenterUser(email=email, **fields))


def build_call_recording_schedule(name="Night", **fields):
    return m.CallRecordingSchedule(name=name, **(SCHEDULE_DEFAULTS | {"percentage": 50} | fields))


def make_call_recording_schedule(name="Night", **fields):
    return saved(build_call_recording_schedule(name, **fields))


def build_call_monitoring_schedule(name="Coaching", **fields):
    supervisor = fields.pop("supervisor", None) or make_supervisor()
    return m.CallMonitoringSchedule(name=name, supervisor=supervisor, **(SCHEDULE_DEFAULTS | fields))


def make_call_monitoring_schedule(name="Coaching", **fields):
    return saved(build_call_monitoring_schedule(name, **fields))
