"""What the OpenAPI description says each operation answers: exactly the statuses it can give, each
error as {"detail": "..."} with why, and the downloads as the files they are (CSV or Zip), not JSON."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from bulkops.api.serializers import DetailSerializer

# Why an operation gives each error status; an operation names its own reason where it has one.
WHY = {
    400: "The request has a field or parameter missing, or a value it does not take; the detail names it.",
    401: "No credentials, or a token that is not valid.",
    403: "The user is not active staff, lacks the permission the operation needs, or (by session) sent no CSRF token.",
    404: "There is no such thing; the detail says what is missing.",
    409: "Another job is active (New or In progress): only one runs at a time. The detail names it.",
    413: "The file, or the request's other fields, is over the size limit this server accepts.",
    415: "The file is not a .csv or .xlsx (audio files: a .zip), or the request is not multipart/form-data or JSON.",
    422: "Refused for another reason, which the detail gives.",
}


def errors(*codes: int, why: dict[int, str] | None = None) -> dict[int, OpenApiResponse]:
    """The error answers of an operation, each with why it is given: WHY's, unless `why` says better."""
    why = WHY | (why or {})
    return {code: OpenApiResponse(DetailSerializer, description=why[code]) for code in codes}


# Every operation needs an active staff user's token or session.
SIGNED_IN = (401, 403)


def download(*media_types: str, description: str) -> dict[tuple[int, str], OpenApiResponse]:
    """A 200 that is a file attachment of one of these media types."""
    return {
        (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description) for media_type in media_types
    }


def location_header() -> OpenApiParameter:
    return OpenApiParameter(
        "Location",
        OpenApiTypes.URI,
        OpenApiParameter.HEADER,
        description="The new job's URL.",
        response=[201],
    )


SITES_SAMPLE = "Name,Description,Multimedia Profile\nBelgrade,,Default Multimedia Profile\n"

IMPORT_EXAMPLE = OpenApiExample(
    "A Site file",
    value={"object": "site", "file": SITES_SAMPLE, "validate_only": False, "encoding": "utf-8"},
    description="The file is sent as a part of its own, named sites.csv.",
    request_only=True,
)

# The file part's name must end in .csv or .xlsx (.zip for audio files): described in the multipart encoding.
IMPORT_ENCODING = {
    "file": {
        "contentType": "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/zip",
        "headers": {
            "Content-Disposition": {
                "description": "The file's name, ending in .csv or .xlsx (audio files: .zip).",
                "schema": {"type": "string", "example": 'form-data; name="file"; filename="sites.csv"'},
            }
        },
    }
}
