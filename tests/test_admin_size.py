"""Every admin page at size (SPEC 12): the same queries whatever the rows, references chosen by typing,
filters over references that search, and a count that does not read a whole large table."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bulkops.models import Job
from config_objects import models as m
from config_objects.admin_base import ConfigAdmin
from config_objects.admin_forms import references
from config_objects.admin_lists import EstimatedCountPaginator, ReferenceFilter
from config_objects.registry import OBJECT_TYPES
from tests import factories as f
from tests.test_admin import populate, url

ALL_MODELS = [t.model for t in OBJECT_TYPES]
FEW = 60  # more than a page of any list (50, the dashboard's 25): both sizes show full pages
OPTION = re.compile(rb"<option\b")


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def more_jobs(count: int) -> None:
    Job.objects.bulk_create(
        Job(
            object_type="site",
            operation=Job.Operation.IMPORT,
            status=Job.Status.COMPLETED,
            active_slot=None,
            file_name=f"sites-{number}.csv",
            submitted_by_name="root",
        )
        for number in range(count)
    )


def filtered_pages(client, changelist: str) -> list[str]:
    """The list filtered by each of its filters in turn: the first value each offers (a reference
    filter offers none: it is given the reference of the first row)."""
    cl = client.get(changelist).context["cl"]
    found = []
    for spec in cl.filter_specs:
        if isinstance(spec, ReferenceFilter):
            field = spec.field
            first = cl.model.objects.exclude(**{f"{field.name}__isnull": True}).order_by("pk").first()
            if first is not None:
                target = getattr(first, field.name)
                pk = target.order_by("pk").first().pk if field.many_to_many else target.pk
                found.append(f"{changelist}?{spec.lookup_kwarg}={pk}")
            continue
        choices = [choice for choice in spec.choices(cl) if not choice.get("selected") and "query_string" in choice]
        if choices:
            found.append(changelist + choices[0]["query_string"])
    return found


def admin_pages(client) -> list[str]:
    pages = []
    for model in ALL_MODELS:
        changelist = url(model, "changelist")
        obj = model.objects.order_by("pk").first()
        pages += [changelist, f"{changelist}?q={obj}", url(model, "add"), url(model, "change", obj.pk)]
        pages += filtered_pages(client, changelist)
    jobs = reverse("admin:bulkops_job_changelist")
    pages += [jobs, *filtered_pages(client, jobs), reverse("admin:bulkops_job_change", args=[Job.objects.first().pk])]
    return pages


def measure(client, pages, statements: dict) -> dict[str, tuple[int, int]]:
    """Each page's queries and <option> elements (a drop-down of every row would grow them); the
    statements themselves go to `statements`, for the message of a failure."""
    found = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200, page
        found[page] = (len(queries), len(OPTION.findall(response.content)))
        statements[page] = [query["sql"][:200] for query in queries.captured_queries]
    return found


def test_every_admin_page_makes_the_same_queries_and_options_for_few_rows_or_three_times_as_many(world, admin_client):
    for model in ALL_MODELS:
        populate(model, 0, FEW)
    more_jobs(FEW)
    pages = admin_pages(admin_client)
    before, after = {}, {}
    measure(admin_client, pages, before)  # Django's caches (content types) filled: not counted
    few = measure(admin_client, pages, before)
    for model in ALL_MODELS:
        populate(model, FEW, 2 * FEW)
    more_jobs(2 * FEW)
    many = measure(admin_client, pages, after)
    grown = {page: (before[page], after[page]) for page in pages if many[page] != few[page]}
    assert many == few, "\n".join(f"{page}: {sql}" for page, sql in grown.items())


@pytest.mark.django_db
@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda model: model.__name__)
def test_every_reference_on_an_admin_form_is_chosen_by_typing(model, superuser):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser
    forms = [(model_admin.get_form(request), None)]
    forms += [(inline.get_formset(request).form, model) for inline in model_admin.get_inline_instances(request)]
    for form, parent in forms:
        for name in references(form._meta.model, parent=parent):
            field = form.base_fields.get(name)
            if field is not None:
                assert isinstance(field.widget.__dict__.get("widget", field.widget), AutocompleteMixin), name


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda model: model.__name__)
def test_every_filter_over_a_reference_searches(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ConfigAdmin)
    relations = set(references(model))
    for spec in model_admin.list_filter:
        if isinstance(spec, str):
            assert spec not in relations, f"{model.__name__}.{spec} lists every value"
        elif isinstance(spec, tuple) and spec[0] in relations:
            assert spec[1] is ReferenceFilter


@pytest.mark.django_db
def test_the_users_site_filter_names_the_chosen_site_without_listing_the_others(admin_client):
    user = f.make_user(site=f.make_site("Belgrade"))
    f.make_site("Nis")
    page = admin_client.get(url(m.ContactCenterUser, "changelist"), {"site__id__exact": user.site_id})
    html = page.content.decode()
    assert page.context["cl"].result_count == 1
    assert 'value="Belgrade"' in html and "Nis" not in html
    assert "django-admin-list-filter-ajax" in html


@pytest.mark.django_db
def test_a_site_is_found_by_typing_part_of_its_name(admin_client):
    f.make_site("Belgrade"), f.make_site("Nis")
    found = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "config_objects", "model_name": "team", "field_name": "site", "term": "grad"},
    ).json()
    assert [result["text"] for result in found["results"]] == ["Belgrade"]


@pytest.mark.django_db
def test_a_page_number_past_the_end_shows_the_last_page(admin_client):
    f.make_site("Belgrade")
    page = admin_client.get(url(m.Site, "changelist"), {"p": "7"})
    assert page.status_code == 200
    assert [site.name for site in page.context["cl"].result_list] == ["Belgrade"]


@pytest.mark.django_db
def test_a_large_unfiltered_list_is_counted_by_the_databases_estimate(monkeypatch):
    for name in ("Belgrade", "Nis", "Novi Sad"):
        f.make_site(name)
    monkeypatch.setattr("config_objects.admin_lists.ESTIMATE_FROM", 1)
    everything = EstimatedCountPaginator(m.Site.objects.order_by("name"), 50)
    filtered = EstimatedCountPaginator(m.Site.objects.filter(name__startswith="N").order_by("name"), 50)
    assert filtered.count == 2  # counted: an estimate is of a whole table only
    if connection.vendor != "postgresql":
        assert everything.count == 3  # SQLite keeps no estimate: counted
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {m.Site._meta.db_table}")
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [m.Site._meta.db_table])
        estimate = cursor.fetchone()[0]
    assert everything.count == estimate
