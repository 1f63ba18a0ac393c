"""Many rows into one table at once without a model instance per row: COPY on PostgreSQL (psycopg 3),
one executemany INSERT elsewhere. For what the engine writes beside the objects themselves: their
historical records and a job's list of changes."""

import csv
import io
import json
from functools import lru_cache

from django.db import connection, models

# The CSV that COPY reads: strings quoted, numbers not. Python writes None as "" here, which COPY
# reads as NULL in the columns named in FORCE_NULL (all but text: "" is no value of theirs).
COPY_CSV = {"quoting": csv.QUOTE_NONNUMERIC, "lineterminator": "\n"}
TEXT = (models.CharField, models.TextField)
PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.FloatField)


def insert_rows(model, attnames: list[str], rows: list[tuple]) -> None:
    """Insert rows of Python values for these fields (by attname)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in attnames]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            nullable = ", ".join(quote(f.column) for f in fields if not isinstance(f, TEXT) or f.is_relation)
            options = f"FORMAT csv, FORCE_NULL ({nullable})" if nullable else "FORMAT csv"
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH ({options})") as copy:
                copy.write(copy_text(fields, rows))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            prepared = [
                [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)]
                for row in rows
            ]
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)


def copy_text(fields, rows) -> str:
    """The rows as COPY's CSV. JSON is written as its text, a date-time in ISO form; a value of any
    other kind is prepared as Django would."""
    convert = [converter(field) for field in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, **COPY_CSV)
    writer.writerows(
        [value if to_text is None else to_text(value) for to_text, value in zip(convert, row, strict=True)]
        for row in rows
    )
    return buffer.getvalue()


def converter(field):
    plain = field.target_field if field.is_relation else field
    if isinstance(plain, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
    if isinstance(plain, models.DateTimeField):
        return lru_cache(maxsize=4)(lambda value: None if value is None else value.isoformat())
    if isinstance(plain, PLAIN):
        return None
    return lambda value: field.get_db_prep_save(value, connection)
