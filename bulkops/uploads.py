"""What an upload must be before a job is made of it: a file of the object's kind, within the size
limit, in a text encoding; and its name, cleaned of anything that could break a header or a path."""

import unicodedata
from pathlib import PurePath

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from bulkops.engine.csvio import is_text_encoding
from config_objects.registry import ObjectType


class JobRefused(Exception):
    """A submission or request that was not accepted; the message says why, in the user's words."""


class FileRequired(JobRefused):
    pass


class WrongFileType(JobRefused):
    pass


class FileTooLarge(JobRefused):
    pass


class NotATextEncoding(JobRefused):
    pass


FILE_REQUIRED = _("Choose a file to import.")
WRONG_FILE_TYPE = _("'{name}' is not a {kind} file. {label} imports take a .{kind} file.")
WRONG_TABLE_TYPE = _("'{name}' is neither a CSV file nor an Excel workbook. {label} imports take a .csv or .xlsx file.")
# A CSV object's rows come as a CSV file or as an Excel workbook (its first sheet read like a CSV).
SUFFIXES = {"csv": (".csv", ".xlsx"), "zip": (".zip",), "package": (".zip", ".xlsx")}
WRONG_PACKAGE_TYPE = _(
    "'{name}' is neither a Zip of CSV files nor an Excel workbook. A configuration package is a .zip or .xlsx file."
)
FILE_TOO_LARGE = _("'{name}' is {size} MB; the limit is {limit} MB per file.")
UNKNOWN_ENCODING = _("'{encoding}' is not a text encoding (try utf-8, cp1252 or latin-1).")


def clean_file_name(name: str) -> str:
    """The uploaded file's own name, without folders or characters that could break a header or a
    download (control, format and line-separator characters), at most 255 characters."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs") else ch for ch in name)
    name = " ".join(name.split())
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = stem[: 254 - len(extension)] + dot + extension if dot and len(extension) < 10 else name[:255]
    return name


def check_upload(object_type: ObjectType, upload, name: str, encoding: str) -> None:
    if upload is None:
        raise FileRequired(str(FILE_REQUIRED))
    if not name.lower().endswith(SUFFIXES[object_type.file_kind]):
        wrong = {"csv": WRONG_TABLE_TYPE, "package": WRONG_PACKAGE_TYPE}.get(object_type.file_kind, WRONG_FILE_TYPE)
        raise WrongFileType(wrong.format(name=name, kind=object_type.file_kind, label=object_type.label))
    size = getattr(upload, "size", None)
    if size is not None and size > settings.BULK_MAX_FILE_BYTES:
        raise FileTooLarge(
            FILE_TOO_LARGE.format(
                name=name,
                size=number_format(size / 1e6, decimal_pos=1, force_grouping=True),
                limit=number_format(settings.BULK_MAX_FILE_BYTES / 1e6, decimal_pos=0, force_grouping=True),
            )
        )
    if not is_text_encoding(encoding):
        raise NotATextEncoding(UNKNOWN_ENCODING.format(encoding=encoding[:40]))
