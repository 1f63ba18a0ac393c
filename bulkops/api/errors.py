"""Every API error as JSON {"detail": "..."}, with the status that fits why."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from bulkops.services import AnotherJobActive
from bulkops.uploads import FileRequired, FileTooLarge, JobRefused, NotATextEncoding, WrongFileType
from config_objects.registry import UnknownObjectType

log = logging.getLogger(__name__)

# A refused request's status, by why it was refused; any other refusal is 422.
REFUSAL_STATUS = {
    AnotherJobActive: status.HTTP_409_CONFLICT,
    FileRequired: status.HTTP_400_BAD_REQUEST,
    WrongFileType: status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    FileTooLarge: status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    NotATextEncoding: status.HTTP_422_UNPROCESSABLE_ENTITY,
    UnknownObjectType: status.HTTP_400_BAD_REQUEST,
}


def json_errors(error, context):
    """Every error as {"detail": "..."}: DRF's own, refusals from the services, and, for anything
    unexpected, a 500 that names no exception (the log has it)."""
    response = exception_handler(error, context)
    if response is not None:
        if isinstance(response.data, dict) and "detail" not in response.data:
            response.data = {"detail": _flatten(response.data), "fields": response.data}
        elif isinstance(response.data, list):  # ValidationError("...") or ValidationError([...])
            response.data = {"detail": " ".join(str(problem) for problem in response.data)}
        return response
    for refusal, code in REFUSAL_STATUS.items():
        if isinstance(error, refusal):
            return Response({"detail": message(error)}, status=code)
    if isinstance(error, RequestDataTooBig):
        limit = number_format(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1e6, 1)
        return Response(
            {"detail": _("The request's fields, its file aside, are over %(limit)s MB.") % {"limit": limit}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(error, TooManyFieldsSent | TooManyFilesSent):
        return Response({"detail": _("The request has too many fields or files.")}, status=400)
    if isinstance(error, JobRefused):
        return Response({"detail": message(error)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    log.exception("API request failed")
    return Response(
        {"detail": _("The server could not complete this request; the details are in its log.")}, status=500
    )


def message(error: Exception) -> str:
    """The refusal's message as it was written. Not str(error): a LookupError such as KeyError shows its
    message quoted, and stripping those quotes would eat the ones the message opens or ends with
    ("'rot13' is not a text encoding")."""
    if len(error.args) == 1:
        return str(error.args[0])
    return str(error)


def _flatten(data) -> str:
    parts = []
    for field, problems in data.items():
        problems = problems if isinstance(problems, list) else [problems]
        parts += [f"{field}: {problem}" for problem in problems]
    return " ".join(part if part.endswith((".", "?", "!")) else f"{part}." for part in parts)
