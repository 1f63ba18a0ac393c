"""What a chunk finds stored: its objects' rows by key, in one query, as plain tuples, and their lists."""

from collections.abc import Iterator
from contextlib import ExitStack, suppress

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils.functional import cached_property

from bulkops.engine.shape import ObjectShape
from bulkops.engine.units import Unit
from config_objects.rows import link_pairs

# Joins a chunk's keys into one text for the database to split: a control character (a chunk with a key
# that holds it sends an array instead).
KEY_SEPARATOR = "\x1f"


class StoredRows(ObjectShape):
    def __init__(self, resource, set_by_file: set[str]):
        """set_by_file: the lists the file sets, whose stored targets are only compared."""
        super().__init__(resource)
        self.set_by_file = set_by_file
        self.answer: tuple[set[str], list[tuple]] | None = None  # the rows of the keys asked for ahead (RowsAhead)

    def rows(self, keys: set[str]) -> dict:
        """{key: the stored row as a tuple of self.attnames' values}. Plain values, not model
        instances: most rows of a re-import are unchanged and never need one."""
        if not keys:
            return {}
        key_at = self.position["match_key"]
        if self.answer is not None and keys <= self.answer[0]:
            stored_rows = (row for row in self.answer[1] if row[key_at] in keys)
        elif connection.vendor != "postgresql":
            queryset = self.model._default_manager.filter(match_key__in=keys)
            return {stored[key_at]: stored for stored in queryset.values_list(*self.attnames)}
        else:
            with connection.cursor() as cursor:
                cursor.execute(*self.lookup(keys))
                stored_rows = cursor.fetchall()
        if self.converters:
            stored_rows = map(self.convert, stored_rows)
        return {stored[key_at]: stored for stored in stored_rows}

    def lookup(self, keys: set[str]) -> tuple[str, list]:
        """The query of the stored rows of these keys, and its parameters (PostgreSQL)."""
        # The keys go as one text split by the server, not as an array of thousands of values (psycopg
        # dumps an array value by value): the statement is the same for every chunk, half the time.
        joined = KEY_SEPARATOR.join(keys)
        if joined.count(KEY_SEPARATOR) == len(keys) - 1:
            keys_sql, parameter = f"string_to_array(%s::text, chr({ord(KEY_SEPARATOR)}))", joined
        else:  # a key holding the separator itself
            keys_sql, parameter = "%s", list(keys)
        return self.existing_sql.format(keys=keys_sql), [parameter]

    @cached_property
    def position(self) -> dict[str, int]:
        """Where each attname's value is in a stored row."""
        return {name: index for index, name in enumerate(self.attnames)}

    @cached_property
    def existing_sql(self) -> str:
        """The lookup of stored rows by key; {keys} stands for the array of keys."""
        quote = connection.ops.quote_name
        columns = ", ".join(quote(self.model._meta.get_field(name).column) for name in self.attnames)
        table, key = quote(self.model._meta.db_table), quote(self.model._meta.get_field("match_key").column)
        return f"SELECT {columns} FROM {table} WHERE {key} = ANY({{keys}})"

    @cached_property
    def converters(self) -> list:
        """Each column's conversion from what the database sends, where its field has one (JSON)."""
        fields = [self.model._meta.get_field(name) for name in self.attnames]
        return [(index, field) for index, field in enumerate(fields) if hasattr(field, "from_db_value")]

    def convert(self, row: tuple) -> tuple:
        row = list(row)
        for index, field in self.converters:
            row[index] = field.from_db_value(row[index], None, connection)
        return tuple(row)

    def links(self, owner_pks: list) -> dict:
        """{list name: {owner pk: stored list}} for the chunk's existing objects: target pks for the
        lists the file sets (only compared), target objects for the others (rules look at them)."""
        found = {}
        if not owner_pks:
            return found
        for m2m in self.link_fields():
            through = m2m.remote_field.through
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            links = found.setdefault(m2m.name, {})
            if m2m.name in self.set_by_file:
                for owner, target_pk in link_pairs(through, source, target, owner_pks):
                    links.setdefault(owner, []).append(target_pk)
            else:
                rows = through.objects.filter(**{f"{source}_id__in": owner_pks})
                for link in rows.select_related(target):
                    links.setdefault(getattr(link, f"{source}_id"), []).append(getattr(link, target))
        return found


class RowsAhead:
    """Each chunk's stored rows asked for before the chunk before it is planned, on a connection of
    its own in pipeline mode: the server looks them up while Python plans (most of a re-import's
    time is those two, one after the other). One query is in flight at a time, and its answer is
    taken before the next is sent. For PostgreSQL, outside a transaction: the job's own connection
    would see the same rows, as nothing a chunk writes is the key of a later one (names do not repeat).
    A context manager: its connection is closed on leaving, however the job ends."""

    def __init__(self, stored: StoredRows):
        self.stored = stored
        self.asked: tuple[set[str], psycopg.Cursor | None] | None = None
        self.looking = connections.create_connection(DEFAULT_DB_ALIAS)
        self.pipeline = None
        self.in_pipeline = ExitStack()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stored.answer = None
        try:
            with suppress(psycopg.Error):  # a broken connection: the job's own error says more
                self.in_pipeline.close()
        finally:
            self.looking.close()

    def chunks(self, chunks: Iterator[list[Unit]]) -> Iterator[list[Unit]]:
        """The chunks, each handed on once the next one is read and its stored rows asked for. The
        first chunk's are looked up as it is planned: a file of one chunk opens no connection."""
        before = None
        for units in chunks:
            answer = self.answer()  # the chunk before's: in by now
            if before is not None:
                self.ask(units)
                self.stored.answer = answer
                yield before
            before = units
        if before is not None:
            self.stored.answer = self.answer()
            yield before

    def ask(self, units: list[Unit]) -> None:
        if self.pipeline is None:
            self.looking.ensure_connection()
            self.pipeline = self.in_pipeline.enter_context(self.looking.connection.pipeline())
        # As the planner's: a row the reading refused (a NUL, which no text may hold) fails unlooked-up.
        keys = {unit.key for unit in units if unit.key and not any(row.problem for row in unit.rows)}
        cursor = None
        if keys:
            cursor = psycopg.Cursor(self.looking.connection)  # binds on the server, as pipeline mode needs
            cursor.execute(*self.stored.lookup(keys))
        self.asked = (keys, cursor)

    def answer(self) -> tuple[set[str], list[tuple]] | None:
        if self.asked is None:
            return None
        (keys, cursor), self.asked = self.asked, None
        if cursor is None:
            return keys, []
        self.pipeline.sync()  # ends the query's implicit transaction, and takes its rows
        with cursor:
            return keys, cursor.fetchall()


class RowsInTurn:
    """No look-ahead: the chunks as they are, each chunk's rows looked up when it is planned."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        pass

    def chunks(self, chunks: Iterator[list[Unit]]) -> Iterator[list[Unit]]:
        return chunks
