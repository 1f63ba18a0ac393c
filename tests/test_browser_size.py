"""SPEC 12 in a real browser: with thousands of sites, the Users list and a team's form stay small,
and a site is chosen by typing a part of its name (the admin's autocomplete), in the form and in
the list's filter. Screenshots go where tests/test_browser.py puts its own."""

import pytest

from config_objects import models as m
from config_objects.models.fields import fold
from tests.factories import make_user, multimedia_profile
from tests.test_browser import browser, page, shoot  # noqa: F401

pytestmark = [pytest.mark.usefixtures("catalogue_defaults"), pytest.mark.slow, pytest.mark.browser]

SITES = 3000
LIMIT_BYTES = 300 * 1024


@pytest.fixture
def many_sites():
    profile = multimedia_profile()
    m.Site.objects.bulk_create(
        m.Site(name=f"Site {number:05d}", match_key=fold(f"Site {number:05d}"), multimedia_profile=profile)
        for number in range(SITES)
    )
    make_user(site=m.Site.objects.get(name="Site 00042"))


def choose(tab, container: str, typed: str, wanted: str):
    """Open the autocomplete in `container`, type, and pick `wanted` among what it finds."""
    tab.click(f"{container} .select2-selection")
    tab.fill(".select2-container--open .select2-search__field", typed)
    tab.click(f".select2-results__option:text-is('{wanted}')")


def test_the_users_list_and_a_team_form_choose_a_site_by_typing_among_thousands(page, live_server, many_sites):  # noqa: F811
    users = page.goto(f"{live_server.url}/admin/config_objects/contactcenteruser/")
    assert len(users.body()) < LIMIT_BYTES
    shoot(page, "size-users-list")
    # The list's site filter searches the sites instead of listing them.
    with page.expect_navigation():
        choose(page, "details[data-filter-title='Site']", "0004", "Site 00042")
    assert "site__id__exact=" in page.url
    assert page.locator("#result_list tbody tr").count() == 1
    shoot(page, "size-users-filtered-by-site")
    # The filtered list at phone width, and both in Serbian (the language cookie the selector sets).
    filtered = page.url
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "size-users-filtered-by-site-390")
    page.context.add_cookies([{"name": "django_language", "value": "sr-latn", "url": live_server.url}])
    page.goto(filtered)
    assert "Po lokaciji" in page.content()
    shoot(page, "sr-size-users-filtered-by-site-390")
    page.set_viewport_size({"width": 1280, "height": 820})
    shoot(page, "sr-size-users-filtered-by-site")
    page.context.clear_cookies(name="django_language")

    form = page.goto(f"{live_server.url}/admin/config_objects/team/add/")
    assert len(form.body()) < LIMIT_BYTES
    assert page.locator("#id_site option").count() <= 1  # no drop-down of every site
    choose(page, ".field-site", "site 0299", "Site 02999")
    assert page.eval_on_selector("#id_site", "select => select.selectedOptions[0].textContent") == "Site 02999"
    page.fill("#id_name", "Tier 1")
    page.select_option("#id_type", "AGENT")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/config_objects/team/")
    assert m.Team.objects.get(name="Tier 1").site.name == "Site 02999"
