"""Words of Django's admin, django-simple-history and Django REST framework that the product's pages
show, marked here so that bin/makemessages keeps an entry for each in our Serbian catalogue (locale/,
listed in LOCALE_PATHS, is searched before the installed apps' catalogues, so our entry wins).

Django's own Serbian says "Dodaj objekat klase tim" ("add an object of the class team"); the product
writes "Dodaj: tim", as its own buttons do. django-simple-history and Django REST framework have no
Serbian at all, so a History page's title and the API tokens' section of the admin would be English
on a Serbian page. Nothing imports this
module: the marks are read by makemessages (pgettext_lazy, because makemessages does not read
pgettext_noop), and the words are looked up by the code that owns them."""

from django.utils.translation import gettext_noop, pgettext_lazy

DJANGO_ADMIN = [
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Select %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop("Added “%(object)s”."),
    gettext_noop("Changed “%(object)s” — %(changes)s"),
    gettext_noop("Deleted “%(object)s.”"),
]

# simple_history: the titles of an object's History page and of one of its records.
SIMPLE_HISTORY = [
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("View %(verbose_name)s"),
]

# rest_framework.authtoken: the admin's API tokens section (its app, model and fields).
API_TOKENS = [
    gettext_noop("Auth Token"),
    gettext_noop("Token"),
    gettext_noop("Tokens"),
    gettext_noop("Key"),
    gettext_noop("Username"),
]

# The admin's list filters' headings, each one phrase (config_objects/templatetags/filter_headings.py).
FILTER_HEADINGS = [
    pgettext_lazy("list filter heading", "By active"),
    pgettext_lazy("list filter heading", "By Active"),
    pgettext_lazy("list filter heading", "By Agent Viewable"),
    pgettext_lazy("list filter heading", "By Blending Mode"),
    pgettext_lazy("list filter heading", "By Channel Type"),
    pgettext_lazy("list filter heading", "By Contact Center Enabled"),
    pgettext_lazy("list filter heading", "By Created"),
    pgettext_lazy("list filter heading", "By Default"),
    pgettext_lazy("list filter heading", "By Dial Plan Enabled"),
    pgettext_lazy("list filter heading", "By enabled"),
    pgettext_lazy("list filter heading", "By Entity Type"),
    pgettext_lazy("list filter heading", "By groups"),
    pgettext_lazy("list filter heading", "By Holiday List"),
    pgettext_lazy("list filter heading", "By Kind"),
    pgettext_lazy("list filter heading", "By Metric"),
    pgettext_lazy("list filter heading", "By Multimedia Profile"),
    pgettext_lazy("list filter heading", "By object"),
    pgettext_lazy("list filter heading", "By operation"),
    pgettext_lazy("list filter heading", "By Outdial Enabled"),
    pgettext_lazy("list filter heading", "By Override"),
    pgettext_lazy("list filter heading", "By Parent Site"),
    pgettext_lazy("list filter heading", "By Parent Type"),
    pgettext_lazy("list filter heading", "By Permit Recording"),
    pgettext_lazy("list filter heading", "By Profile Type"),
    pgettext_lazy("list filter heading", "By Region"),
    pgettext_lazy("list filter heading", "By Reportable"),
    pgettext_lazy("list filter heading", "By Routing Type"),
    pgettext_lazy("list filter heading", "By scheduled import"),
    pgettext_lazy("list filter heading", "By Site"),
    pgettext_lazy("list filter heading", "By skills"),
    pgettext_lazy("list filter heading", "By Social Channel Type"),
    pgettext_lazy("list filter heading", "By staff status"),
    pgettext_lazy("list filter heading", "By status"),
    pgettext_lazy("list filter heading", "By superuser status"),
    pgettext_lazy("list filter heading", "By Timezone"),
    pgettext_lazy("list filter heading", "By Type"),
    pgettext_lazy("list filter heading", "By User Profile"),
    pgettext_lazy("list filter heading", "By Variable Type"),
    pgettext_lazy("list filter heading", "By Work Type"),
    pgettext_lazy("list filter heading", "By Wrap Up Type"),
]
