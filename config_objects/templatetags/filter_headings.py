"""A list filter's heading as one phrase in the reader's language ("By status", "Po statusu").

Django's admin words it " By %(filter_title)s " around the filter's title, which Serbian cannot do: the
title would need its case ("Po statusu", not "Po status"), so Django's Serbian drops the "By" and
shows the bare title. Here the whole phrase is one message, "By <the title in English>", translated as
a whole (contactcenter/borrowed_words.py lists them; a test checks every filter of the admin has one).
A title without such a message keeps Django's wording."""

from django import template
from django.utils.translation import gettext, pgettext

from config_objects.models.fields import english

register = template.Library()

CONTEXT = "list filter heading"


def heading_message(title) -> str:
    """The message of a filter's heading: "By " and the title as written in English."""
    return f"By {english(title)}"


@register.filter
def filter_heading(title) -> str:
    message = heading_message(title)
    phrase = pgettext(CONTEXT, message)
    if phrase != message:
        return phrase
    return gettext(" By %(filter_title)s ").strip() % {"filter_title": title}
