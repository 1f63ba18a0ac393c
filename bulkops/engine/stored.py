"""What a chunk finds stored: its objects' rows by key, in one query, as plain tuples, and their lists."""

from django.db import connection
from django.utils.functional import cached_property

from bulkops.engine.shape import ObjectShape
from config_objects.rows import link_pairs

# Joins a chunk's keys into one text for the database to split: a control character (a chunk with a key
# that holds it sends an array instead).
KEY_SEPARATOR = "\x1f"


class StoredRows(ObjectShape):
    def __init__(self, resource, set_by_file: set[str]):
        """set_by_file: the lists the file sets, whose stored targets are only compared."""
        super().__init__(resource)
        self.set_by_file = set_by_file

    def rows(self, keys: set[str]) -> dict:
        """{key: the stored row as a tuple of self.attnames' values}. Plain values, not model
        instances: most rows of a re-import are unchanged and never need one."""
        if not keys:
            return {}
        key_at = self.position["match_key"]
        if connection.vendor != "postgresql":
            queryset = self.model._default_manager.filter(match_key__in=keys)
            return {stored[key_at]: stored for stored in queryset.values_list(*self.attnames)}
        # The keys go as one text split by the server, not as an array of thousands of values (psycopg
        # dumps an array value by value): the statement is the same for every chunk, half the time.
        joined = KEY_SEPARATOR.join(keys)
        if joined.count(KEY_SEPARATOR) == len(keys) - 1:
            keys_sql, parameter = f"string_to_array(%s, chr({ord(KEY_SEPARATOR)}))", joined
        else:  # a key holding the separator itself
            keys_sql, parameter = "%s", list(keys)
        with connection.cursor() as cursor:
            cursor.execute(self.existing_sql.format(keys=keys_sql), [parameter])
            stored_rows = cursor.fetchall()
        if self.converters:
            stored_rows = map(self.convert, stored_rows)
        return {stored[key_at]: stored for stored in stored_rows}

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
