"""Overrides, holiday lists and working hours (SPEC rows 25-27): child rows merge by name, Delete=Yes
removes one and at least one remains, shifts may not overlap on a shared day, values export in their
canonical spelling, the database holds the simple rules itself, and the admin saves the child rows
as inlines."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from config_objects import models as m
from tests import factories as f
from tests.bulk import run, write
from tests.object_cases import CASES, csv_file

pytestmark = pytest.mark.usefixtures("sync_jobs")

SHIFT = {"Name": "Desk", "Timezone": "Europe/Belgrade", "Start Time": "09:00", "End Time": "17:00"}


def imported(tmp_path, slug, *rows):
    return run("bulk_import", slug, str(write(tmp_path, csv_file(slug, *rows))))


def periods(name):
    override = m.Override.objects.get(name=name)
    return [(p.name, p.start, p.end, p.working_hours, p.frequency) for p in override.periods.order_by("name")]


def shifts(name):
    hours = m.WorkingHours.objects.get(name=name)
    return [(s.name, s.days, s.start_time, s.end_time) for s in hours.shifts.order_by("name")]


def test_override_periods_merge_by_name_and_the_latest_spelling_is_kept(tmp_path):
    assert imported(tmp_path, "override", *CASES["override"][0]).code == 0
    rows = [
        {"Name": "WINTER", "Timezone": "Europe/Belgrade", "Override Name": " stock take ", "Working Hours": "no"}
        | {"Start Date Time": "2027-01-11T08:00", "End Date Time": "2027-01-11T10:00"},
        {"Name": "WINTER", "Override Name": "Boxing Day", "Working Hours": "TRUE", "Frequency": "YEARLY"}
        | {"Start Date Time": "2026-12-26T10:00", "End Date Time": "2026-12-26T14:00"},
    ]
    outcome = imported(tmp_path, "override", *rows)
    assert outcome.counts == {"created": 0, "updated": 2, "unchanged": 0, "failed": 0}, outcome.errors()
    at = datetime.datetime
    assert periods("WINTER") == [
        ("Boxing Day", at(2026, 12, 26, 10), at(2026, 12, 26, 14), True, "YEARLY"),
        ("Christmas Eve", at(2026, 12, 24, 14), at(2026, 12, 24, 23, 59), False, "DONT_REPEAT"),
        ("stock take", at(2027, 1, 11, 8), at(2027, 1, 11, 10), False, "DONT_REPEAT"),
    ]


def test_a_child_named_twice_in_one_file_fails_naming_the_first_line(tmp_path):
    rows = [
        {"Name": "Serbia", "Holiday Name": "New Year", "Start Date": "2027-01-01", "End Date": "2027-01-01"},
        {"Name": "Serbia", "Holiday Name": "NEW YEAR", "Start Date": "2027-01-02", "End Date": "2027-01-02"},
    ]
    outcome = imported(tmp_path, "holiday-list", *rows)
    assert outcome.counts["failed"] == 2
    assert outcome.errors()[3] == "Holiday Name 'NEW YEAR' appears on line 2 too"
    assert not m.HolidayList.objects.exists()


def test_delete_yes_removes_one_holiday_and_a_second_run_is_unchanged(tmp_path):
    imported(tmp_path, "holiday-list", *CASES["holiday-list"][0])
    delete = {"Name": "Serbia 2027", "Holiday Name": "winter break", "Delete": "Yes"}
    assert imported(tmp_path, "holiday-list", delete).counts["updated"] == 1
    holidays = m.HolidayList.objects.get(name="Serbia 2027").holidays.order_by("name")
    assert [h.name for h in holidays] == ["New Year", "Orthodox Christmas"]
    assert imported(tmp_path, "holiday-list", delete).counts["unchanged"] == 1


def test_a_delete_row_need_not_repeat_the_childs_other_columns(tmp_path):
    imported(tmp_path, "override", *CASES["override"][0])
    delete = {"Name": "Winter", "Timezone": "Europe/Belgrade", "Override Name": "Stock Take", "Delete": "Yes"}
    outcome = imported(tmp_path, "override", delete)
    assert outcome.counts["updated"] == 1, outcome.errors()
    assert [name for name, *_ in periods("Winter")] == ["Christmas Eve"]


def test_at_least_one_shift_remains_and_a_failed_object_changes_nothing(tmp_path):
    imported(tmp_path, "working-hours", *CASES["working-hours"][0])
    rows = [
        {"Name": "Support Line", "Timezone": "UTC", "Shift Name": "All day", "Delete": "Yes"},
    ]
    outcome = imported(tmp_path, "working-hours", *rows)
    assert outcome.errors() == {
        2: "Working hours keep at least one shift: this file would remove its last one",
    }
    assert [name for name, *_ in shifts("Support Line")] == ["All day"]
    replaced = [
        {"Name": "Support Line", "Timezone": "UTC", "Shift Name": "All day", "Delete": "Yes"},
        {"Name": "Support Line", "Shift Name": "Nights", "Days": "MON", "Start Time": "00:00", "End Time": "06:00"},
    ]
    assert imported(tmp_path, "working-hours", *replaced).counts["updated"] == 2
    assert [name for name, *_ in shifts("Support Line")] == ["Nights"]


def test_a_new_object_of_only_delete_rows_is_refused(tmp_path):
    row = {"Name": "Empty", "Timezone": "UTC", "Override Name": "Gone", "Delete": "Yes"}
    outcome = imported(tmp_path, "override", row)
    assert "An override keeps at least one override period" in outcome.errors()[2]
    assert not m.Override.objects.exists()


def test_two_shifts_of_a_file_that_overlap_on_a_shared_day_fail_naming_both_and_the_day(tmp_path):
    rows = [
        SHIFT | {"Shift Name": "Day", "Days": "MON|TUE|WED"},
        {"Name": "Desk", "Shift Name": "Evening", "Days": "WED|THU", "Start Time": "16:00", "End Time": "22:00"},
    ]
    outcome = imported(tmp_path, "working-hours", *rows)
    assert outcome.counts["failed"] == 2
    assert "Shifts 'Day' (09:00-17:00) and 'Evening' (16:00-22:00) overlap on WED" in outcome.errors().values()
    assert not m.WorkingHours.objects.exists()


def test_shifts_of_the_same_hours_on_different_days_or_that_only_touch_do_not_overlap(tmp_path):
    rows = [
        SHIFT | {"Shift Name": "Early week", "Days": "MON|TUE"},
        {"Name": "Desk", "Shift Name": "Late week", "Days": "THU|FRI", "Start Time": "09:00", "End Time": "17:00"},
        {"Name": "Desk", "Shift Name": "Tuesday night", "Days": "TUE", "Start Time": "17:00", "End Time": "23:00"},
    ]
    outcome = imported(tmp_path, "working-hours", *rows)
    assert outcome.counts["created"] == 3, outcome.errors()
    assert len(shifts("Desk")) == 3


def test_a_later_row_may_not_contradict_the_objects_timezone(tmp_path):
    rows = [
        SHIFT | {"Shift Name": "Day", "Days": "MON"},
        SHIFT | {"Shift Name": "Other", "Days": "TUE", "Timezone": "Europe/Paris"},
    ]
    outcome = imported(tmp_path, "working-hours", *rows)
    assert outcome.errors()[3] == "Timezone 'Europe/Paris' contradicts line 2 ('Europe/Belgrade')"


def test_business_hours_is_another_name_for_working_hours(tmp_path):
    path = write(tmp_path, csv_file("working-hours", SHIFT | {"Shift Name": "Day", "Days": "MON"}))
    outcome = run("bulk_import", "business-hours", str(path))
    assert outcome.counts["created"] == 1
    assert outcome.job.object_type == "working-hours"


def test_dates_times_and_days_export_in_their_canonical_spelling_and_import_back_unchanged(tmp_path):
    f.make_holiday_list("Serbian Holidays")
    f.make_override("Christmas Eve")
    override_row = {"Name": "Winter", "Timezone": "Europe/Belgrade", "Override Name": "Eve", "Working Hours": "off"}
    override_row |= {"Start Date Time": "2026-12-24 9:05", "End Date Time": "2026-12-24t18:00"}
    assert imported(tmp_path, "override", override_row).code == 0
    hours_row = SHIFT | {"Shift Name": "Day", "Days": "sun|Fri|mon", "Start Time": "8:30"}
    hours_row |= {"Holiday List": "serbian holidays", "Override": "christmas eve"}
    assert imported(tmp_path, "working-hours", hours_row).code == 0

    exported = tmp_path / "export.csv"
    assert run("bulk_export", "override", "-o", str(exported)).code == 0
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    assert "Winter,,Europe/Belgrade,Eve,2026-12-24T09:05,2026-12-24T18:00,FALSE,DONT_REPEAT,," in lines
    assert run("bulk_export", "working-hours", "-o", str(exported)).code == 0
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == ["Desk,,Europe/Belgrade,Serbian Holidays,Christmas Eve,Day,MON|FRI|SUN,08:30,17:00,"]
    back = run("bulk_import", "working-hours", str(exported))
    assert back.counts["unchanged"] == len(lines) - 1


def test_wall_clock_times_are_stored_as_written_whatever_the_server_time_zone(tmp_path, settings):
    settings.TIME_ZONE = "America/New_York"
    row = {"Name": "Winter", "Timezone": "Asia/Tokyo", "Override Name": "Eve", "Working Hours": "TRUE"}
    imported(tmp_path, "override", row | {"Start Date Time": "2026-03-08T02:30", "End Date Time": "2026-03-08T03:30"})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT start, {connection.ops.quote_name('end')} FROM {m.OverridePeriod._meta.db_table}")
        assert cursor.fetchall() == [("2026-03-08T02:30", "2026-03-08T03:30")]


def test_a_holiday_list_or_override_used_by_working_hours_cannot_be_deleted():
    holidays, override = f.make_holiday_list(), f.make_override()
    f.make_working_hours(holiday_list=holidays, override=override)
    for target in (holidays, override):
        with pytest.raises(ProtectedError), transaction.atomic():
            target.delete()
        assert type(target).objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize(
    "bad",
    [
        lambda: m.Shift(name="Late", days="MON", start_time=datetime.time(9), end_time=datetime.time(9)),
        lambda: m.Shift(name="weekdays", days="MON", start_time=datetime.time(18), end_time=datetime.time(19)),
    ],
    ids=["end-not-after-start", "same-name-ignoring-case"],
)
def test_the_database_refuses_a_bad_shift_even_without_validation(bad):
    hours = f.make_working_hours()
    shift = bad()
    shift.working_hours = hours
    with pytest.raises(IntegrityError), transaction.atomic():
        shift.save()


def test_the_database_compares_override_times_and_holiday_repetitions_itself():
    override, holidays = f.make_override(), f.make_holiday_list()
    at = datetime.datetime
    backwards = m.OverridePeriod(override=override, name="B", start=at(2027, 1, 2, 9), end=at(2026, 12, 31, 23, 59))
    with pytest.raises(IntegrityError), transaction.atomic():
        backwards.save()
    day = datetime.date(2027, 5, 1)
    once = m.Holiday(holiday_list=holidays, name="May Day", start_date=day, end_date=day, repeat_until=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        once.save()


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789"))
    return client


def hours_form(**shifts):
    form = {
        "name": "Front Desk",
        "description": "",
        "timezone": "Europe/Belgrade",
        "holiday_list": "",
        "override": "",
        "shifts-TOTAL_FORMS": str(len(shifts)),
        "shifts-INITIAL_FORMS": "0",
        "shifts-MIN_NUM_FORMS": "1",
        "shifts-MAX_NUM_FORMS": "1000",
    }
    for index, (name, (days, start, end)) in enumerate(shifts.items()):
        form |= {
            f"shifts-{index}-name": name,
            f"shifts-{index}-days": days,
            f"shifts-{index}-start_time": start,
            f"shifts-{index}-end_time": end,
        }
    return form


def test_working_hours_with_shifts_are_saved_and_checked_in_the_admin(admin_client):
    add = reverse("admin:config_objects_workinghours_add")
    response = admin_client.post(add, hours_form(Day=("mon|tue", "09:00", "17:00"), Eve=("tue", "16:00", "20:00")))
    assert response.status_code == 200
    problems = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert "Shifts 'Day' (09:00-17:00) and 'Eve' (16:00-20:00) overlap on TUE" in problems
    response = admin_client.post(add, hours_form(Day=("mon|tue", "09:00", "17:00"), Eve=("wed", "16:00", "20:00")))
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert shifts("Front Desk") == [
        ("Day", "MON|TUE", datetime.time(9), datetime.time(17)),
        ("Eve", "WED", datetime.time(16), datetime.time(20)),
    ]


def test_an_override_period_is_typed_in_the_admin_as_in_a_file(admin_client):
    form = {
        "name": "Strike",
        "description": "",
        "timezone": "Europe/Belgrade",
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "1",
        "periods-MAX_NUM_FORMS": "1000",
        "periods-0-name": "Closed",
        "periods-0-start": "2027-02-01 08:00",
        "periods-0-end": "2027-02-01T07:00",
        "periods-0-frequency": "DONT_REPEAT",
        "periods-0-repeat_until": "",
    }
    add = reverse("admin:config_objects_override_add")
    response = admin_client.post(add, form)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert errors["end"] == ["End Date Time '2027-02-01T07:00' must be after Start Date Time '2027-02-01T08:00'"]
    response = admin_client.post(add, form | {"periods-0-end": "2027-02-01T20:00"})
    assert response.status_code == 302
    assert periods("Strike") == [
        ("Closed", datetime.datetime(2027, 2, 1, 8), datetime.datetime(2027, 2, 1, 20), False, "DONT_REPEAT")
    ]
    override = m.Override.objects.get(name="Strike")
    page = admin_client.get(reverse("admin:config_objects_override_change", args=[override.pk]))
    assert 'value="2027-02-01T08:00"' in page.content.decode()
