"""What a chunk finds stored: its objects' rows by key, in one query, as plain tuples, and their lists."""

import dataclasses
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


def keys_array(keys: set[str]) -> tuple[str, str | list]:
    """The SQL of an array of these keys, and its parameter. The keys go as one text split by the
    server, not as an array of thousands of values (psycopg dumps an array value by value): the
    statement is the same for every chunk, half the time."""
    joined = KEY_SEPARATOR.join(keys)
    if joined.count(KEY_SEPARATOR) == len(keys) - 1:
        return f"string_to_array(%s::text, chr({ord(KEY_SEPARATOR)}))", joined
    return "%s", list(keys)  # a key holding the separator itself


@dataclasses.dataclass
class Answer:
    """What a chunk's keys were found to have stored, asked for ahead: the rows, the pks among them,
    and the pairs of each list the file sets ({list name: [(owner pk, target pk), ...]})."""

    keys: set[str]
    rows: list[tuple]
    owners: set = dataclasses.field(default_factory=set)
    links: dict[str, list[tuple]] = dataclasses.field(default_factory=dict)


class StoredRows(ObjectShape):
    def __init__(self, resource, set_by_file: set[str]):
        """set_by_file: the lists the file sets, whose stored targets are only compared."""
        super().__init__(resource)
        self.set_by_file = set_by_file
        self.answer: Answer | None = None  # what was asked for ahead (RowsAhead)

    def rows(self, keys: set[str]) -> dict:
        """{key: the stored row as a tuple of self.attnames' values}. Plain values, not model
        instances: most rows of a re-import are unchanged and never need one."""
        if not keys:
            return {}
        key_at = self.position["match_key"]
        if self.answer is not None and keys <= self.answer.keys:
            stored_rows = (row for row in self.answer.rows if row[key_at] in keys)
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

    @cached_property
    def set_by_file_fields(self) -> list:
        return [m2m for m2m in self.link_fields() if m2m.name in self.set_by_file]

    def lookup(self, keys: set[str]) -> tuple[str, list]:
        """The query of the stored rows of these keys, and its parameters (PostgreSQL)."""
        keys_sql, parameter = keys_array(keys)
        return self.existing_sql.format(keys=keys_sql), [parameter]

    def links_lookup(self, m2m, keys: set[str]) -> tuple[str, list]:
        """The query of a list's (owner pk, target pk) pairs, for the stored objects of these keys."""
        quote = connection.ops.quote_name
        through = m2m.remote_field.through
        owner = through._meta.get_field(m2m.m2m_field_name())
        linked = through._meta.get_field(m2m.m2m_reverse_field_name())
        opts = self.model._meta
        keys_sql, parameter = keys_array(keys)
        sql = (
            f"SELECT link.{quote(owner.column)}, link.{quote(linked.column)} FROM {quote(through._meta.db_table)} link "
            f"JOIN {quote(opts.db_table)} stored ON stored.{quote(opts.pk.column)} = link.{quote(owner.column)} "
            f"WHERE stored.{quote(opts.get_field('match_key').column)} = ANY({keys_sql})"
        )
        return sql, [parameter]

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
                answer = self.answer
                if answer is not None and m2m.name in answer.links and answer.owners.issuperset(owner_pks):
                    owners = set(owner_pks)
                    pairs = [pair for pair in answer.links[m2m.name] if pair[0] in owners]
                else:
                    pairs = link_pairs(through, source, target, owner_pks)
                for owner, target_pk in pairs:
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
        self.asked: tuple[set[str], dict] | None = None
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
        """Send the queries of these units' stored rows and of their lists the file sets."""
        if self.pipeline is None:
            self.looking.ensure_connection()
            self.pipeline = self.in_pipeline.enter_context(self.looking.connection.pipeline())
        # As the planner's: a row the reading refused (a NUL, which no text may hold) fails unlooked-up.
        keys = {unit.key for unit in units if unit.key and not any(row.problem for row in unit.rows)}
        cursors = {}
        if keys:
            stored = self.stored
            queries = {None: stored.lookup(keys)}
            queries |= {m2m.name: stored.links_lookup(m2m, keys) for m2m in stored.set_by_file_fields}
            for name, (sql, params) in queries.items():
                cursors[name] = psycopg.Cursor(self.looking.connection)  # binds on the server, as pipeline mode needs
                cursors[name].execute(sql, params)
        self.asked = (keys, cursors)

    def answer(self) -> Answer | None:
        if self.asked is None:
            return None
        (keys, cursors), self.asked = self.asked, None
        if not cursors:
            return Answer(keys, [])
        self.pipeline.sync()  # ends the queries' implicit transaction, and takes their rows
        found = {}
        for name, cursor in cursors.items():
            with cursor:
                found[name] = cursor.fetchall()
        rows = found.pop(None)
        pk_at = self.stored.position[self.stored.pk_attname]
        return Answer(keys, rows, {row[pk_at] for row in rows}, found)


class RowsInTurn:
    """No look-ahead: the chunks as they are, each chunk's rows looked up when it is planned."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        pass

    def chunks(self, chunks: Iterator[list[Unit]]) -> Iterator[list[Unit]]:
        return chunks
