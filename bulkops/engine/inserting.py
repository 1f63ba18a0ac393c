"""Many rows into one table at once: COPY on PostgreSQL (psycopg 3), Django's bulk statements or one
executemany INSERT elsewhere. For the objects of a chunk (created and updated), their list rows,
their historical records and a job's list of changes."""

import itertools
import json
from json.encoder import c_make_encoder, encode_basestring_ascii
from operator import attrgetter

from django.conf import settings
from django.db import IntegrityError, connection, models

# Values psycopg writes into COPY as they are (in C); a value of any other field is prepared first.
PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.FloatField,
    models.DateTimeField,
)


def insert_rows(model, attnames: list[str], rows: list[tuple], written_here: dict[str, set] | None = None) -> None:
    """Insert rows of Python values for these fields (by attname). written_here: by a reference's
    attname, keys of rows this transaction wrote (nobody else can delete them): not proven again."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in attnames]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            references = [(i, field) for i, field in enumerate(fields) if field.many_to_one and field.db_constraint]
            if references and copy_without_reference_triggers(cursor, table, fields, rows):
                prove_references(cursor, model, references, rows, written_here or {})
            else:
                copy_into(cursor, table, fields, rows)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            prepared = [
                [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)]
                for row in rows
            ]
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)


def copy_into(cursor, table: str, fields, rows) -> None:
    """COPY rows of Python values for these fields into a table (its name quoted already)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    converted = [(index, to_db) for index, to_db in enumerate(map(converter, fields)) if to_db is not None]
    # COPY goes through psycopg's own cursor: its errors are made Django's (IntegrityError, ...) as
    # execute()'s are, so that a refused row is caught and retried like any other. write_row turns
    # each value into COPY's text format in C: cheaper than writing CSV in Python.
    with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        write_row = copy.write_row
        if not converted:
            for row in rows:
                write_row(row)
            return
        for row in rows:
            row = list(row)
            for index, to_db in converted:
                row[index] = to_db(row[index])
            write_row(row)


# -- references proven per chunk ---------------------------------------------------------------------
# PostgreSQL checks a foreign key by a trigger per row written: a query that finds and locks the row it
# names (SELECT ... FOR KEY SHARE). Rows written in bulk name the same few rows over and over (100,000
# users, 100 sites), and those checks were half of the server's work for a users import. Where the
# connection may switch the row triggers off (a superuser, or SET granted on session_replication_role)
# and the table has no trigger but its foreign keys' own, the rows are COPied without them and each
# reference column is then proven at once: every distinct row it names found and locked just as the
# triggers would (FOR KEY SHARE, held to the commit, so nobody deletes it meanwhile). One missing raises
# IntegrityError, as the trigger would, and the chunk is retried row by row.


def copy_without_reference_triggers(cursor, table: str, fields, rows) -> bool:
    """COPY with the row triggers off, if this connection may (see above): in a transaction (SET LOCAL
    ends with it), allowed to, and the table has no trigger but its foreign keys' own. Whether it did:
    the permission and the triggers are looked up with the switch, in one query, each time."""
    if not connection.in_atomic_block:
        return False
    allowed = (
        "has_parameter_privilege('session_replication_role', 'SET')"
        if connection.pg_version >= 150000
        else "current_setting('is_superuser') = 'on'"
    )
    others = "SELECT FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
    cursor.execute(
        f"SELECT set_config('session_replication_role', 'replica', true) WHERE {allowed} AND NOT EXISTS ({others})",
        [table],
    )
    if cursor.fetchone() is None:
        return False
    copy_into(cursor, table, fields, rows)
    cursor.execute("SET LOCAL session_replication_role = origin")
    return True


def prove_references(cursor, model, references: list, rows: list[tuple], written_here: dict[str, set]) -> None:
    """Find and lock every row the rows' foreign keys name, as the triggers would have; raise
    IntegrityError if one is not there. Run after the COPY: a row may name one written in the same COPY."""
    quote = connection.ops.quote_name
    for index, field in references:
        keys = list({row[index] for row in rows} - {None} - written_here.get(field.attname, set()))
        if not keys:
            continue
        target = field.target_field
        cursor.execute(
            f"SELECT count(*) FROM (SELECT FROM {quote(target.model._meta.db_table)} "
            f"WHERE {quote(target.column)} = ANY(%s) FOR KEY SHARE) AS found",
            [keys],
        )
        found = cursor.fetchone()[0]
        if found != len(keys):
            raise IntegrityError(
                f"{model._meta.db_table}.{field.column}: {len(keys) - found} of the {len(keys)} rows named are not in "
                f"{target.model._meta.db_table}"
            )


def create_objects(model, instances: list) -> None:
    """Insert new objects and give each its primary key, as bulk_create does. On PostgreSQL the keys
    are drawn from the table's sequence in one query and the rows COPied in: no INSERT statement per
    thousand rows to build, and no RETURNING to read back."""
    if not instances:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(instances, batch_size=settings.BULK_BATCH_SIZE)
        return
    pk = model._meta.pk
    with connection.cursor() as cursor:
        # The sequence is named once (pg_get_serial_sequence costs more than nextval), and the keys
        # come back as one text rather than a row each.
        cursor.execute(
            "SELECT string_agg(nextval(%s::regclass)::text, ',') FROM generate_series(1, %s)",
            [key_sequence(cursor, model), len(instances)],
        )
        keys = map(int, cursor.fetchone()[0].split(","))
        for instance, key in zip(instances, keys, strict=True):
            setattr(instance, pk.attname, key)
    attnames = [field.attname for field in model._meta.concrete_fields]
    values = attrgetter(*attnames)  # a tuple of the fields' values, in C
    insert_rows(model, attnames, [values(obj) for obj in instances])
    alias = connection.alias  # a look-up through the thread's connections: once, not per object
    for instance in instances:
        instance._state.adding = False
        instance._state.db = alias


_sequences: dict[str, str] = {}


def key_sequence(cursor, model) -> str:
    """The name of the sequence that numbers the model's primary key."""
    table = model._meta.db_table
    if table not in _sequences:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
        _sequences[table] = cursor.fetchone()[0]
    return _sequences[table]


_temporary_names = itertools.count()


def update_objects(model, instances: list, field_names: list[str]) -> None:
    """Save these fields of existing objects, as bulk_update does. On PostgreSQL the new values are
    COPied into a temporary table and applied by one UPDATE … FROM: the database joins on the key
    instead of parsing a CASE WHEN per row."""
    if not instances:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(instances, field_names, batch_size=settings.BULK_BATCH_SIZE)
        return
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    table, key = quote(model._meta.db_table), quote(pk.column)
    staged = quote(f"bulk_update_{next(_temporary_names)}")
    columns = [quote(field.column) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staged} ON COMMIT DROP AS "
            f"SELECT {key}, {', '.join(columns)} FROM {table} WITH NO DATA"
        )
        written = [pk, *fields]
        values = attrgetter(*(f.attname for f in written))
        copy_into(cursor, staged, written, [values(obj) for obj in instances])
        assignments = ", ".join(f"{column} = staged.{column}" for column in columns)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM {staged} AS staged WHERE {table}.{key} = staged.{key}")
        cursor.execute(f"DROP TABLE {staged}")


def refuse_to_encode(value):
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# json.dumps makes a new C encoder on each call, a third of its time for a record's small rows: one
# made once (as dumps would make it) where Python has it.
_encode = c_make_encoder and c_make_encoder(
    None, refuse_to_encode, encode_basestring_ascii, None, ": ", ", ", False, False, True
)


def json_text(value) -> str:
    """json.dumps(value)."""
    return "".join(_encode(value, 0)) if _encode is not None else json.dumps(value)


def converter(field):
    """None for a value COPY takes as it is; else value -> what COPY is given: JSON as its text (the
    column parses it), a value of another kind prepared as Django would."""
    plain = field.target_field if field.is_relation else field
    if isinstance(plain, models.JSONField):
        return lambda value: None if value is None else json_text(value)
    if isinstance(plain, PLAIN):
        return None
    return lambda value: field.get_db_prep_save(value, connection)
