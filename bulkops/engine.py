"""The import engine: one pipeline that drives every object's declared Resource.

A file is read twice as a stream. The first pass checks it can be read at all (encoding, CSV syntax,
limits), counts its rows and, for objects written over several rows, notes each object's last line.
The second pass groups rows into units (one object each), a few thousand rows to a chunk, and for
each chunk: resolves every name the chunk references with one query per referenced model, loads the
chunk's existing objects, builds and validates each unit in memory, then writes the valid ones with
bulk operations in one transaction, together with the job's counts and error rows.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, transaction
from django.db.models import ForeignKey

from bulkops.children import ChildRows
from bulkops.csvio import (
    ERROR_COLUMN,
    NUL_SHOWN,
    FileProblem,
    Record,
    Row,
    normalise_column,
    open_records,
    unneutralise,
)
from bulkops.units import (
    CREATED,
    FAILED,
    UNCHANGED,
    UPDATED,
    ChunkResult,
    Unit,
    clean_cell,
    replace_links,
    validation_messages,
)
from config_objects.models.fields import fold
from config_objects.resources import LINK, OBJECT, ConfigResource

log = logging.getLogger(__name__)

# The database's own words (SQL, constraint names) are logged for the operator, never shown to users.
DATABASE_REFUSED = (
    "The database refused this row: another change to the same object was being saved at that moment. "
    "Import the file again to apply it"
)


class Importer:
    def __init__(self, resource_class: type[ConfigResource], *, validate_only: bool = False):
        self.resource = resource_class()
        self.model = self.resource.model
        self.validate_only = validate_only
        self.key_column = self.resource.key_column()
        self.key_field = self.model.key_field
        self.spec = self.resource.children
        self.chunk_rows = 1 if self.resource.sequential else settings.BULK_CHUNK_ROWS
        self.first_lines: dict[str, int] = {}
        self.mapping: list = []
        self.nameless: set[int] = set()
        self.present: set[str] = set()
        self.children: ChildRows | None = None
        self.object_columns = self.resource.columns(OBJECT)
        self.link_columns = self.resource.columns(LINK)
        self.concrete = [f for f in self.model._meta.concrete_fields if not f.primary_key]
        self.references = [f for f in self.concrete if isinstance(f, ForeignKey)]
        self.attnames = [f.attname for f in self.model._meta.concrete_fields]
        self.attname_of = {f.name: f.attname for f in self.model._meta.concrete_fields}
        self.key_attname = self.attname_of[self.key_field]
        self.pk_attname = self.model._meta.pk.attname
        self.created_since_analyze = 0
        self.analyze_after = 5000

    # -- the header --------------------------------------------------------------------------------

    def known_columns(self) -> list[str]:
        return [f.column_name for f in self.resource.columns()]

    def map_header(self, header: list[str]) -> None:
        """Match the header to the resource's columns, or raise FileProblem saying what is wrong."""
        by_name = {normalise_column(f.column_name): f for f in self.resource.columns()}
        positions, unknown = {}, []
        self.mapping = []
        for index, cell in enumerate(header):
            if "\x00" in cell:
                raise FileProblem(
                    f"Column {index + 1} of the header contains a NUL character: this does not look like a CSV "
                    "text file. Save it from the spreadsheet as CSV UTF-8 and import that."
                )
            name = normalise_column(cell)
            found = by_name.get(name)
            if not name:
                self.nameless.add(index)
            elif found is None and name != normalise_column(ERROR_COLUMN):
                unknown.append(cell.strip())
            elif found is not None and found.column_name in positions:
                raise FileProblem(
                    f"Column '{found.column_name}' appears twice (columns {positions[found.column_name] + 1} "
                    f"and {index + 1})."
                )
            elif found is not None:
                positions[found.column_name] = index
            self.mapping.append(found)
        label = self.resource.title()
        expected = ", ".join(self.known_columns())
        if unknown:
            listed = ", ".join(f"'{name}'" for name in unknown)
            raise FileProblem(
                f"Unknown column{'s' * (len(unknown) > 1)} {listed}. The columns of {label} are: {expected}."
            )
        missing = [f.column_name for f in self.resource.columns() if f.required and f.column_name not in positions]
        if missing:
            listed = ", ".join(f"'{name}'" for name in missing)
            raise FileProblem(
                f"Missing column{'s' * (len(missing) > 1)} {listed}. The columns of {label} are: {expected}."
            )
        self.present = {f.column_name for f in self.mapping if f is not None}
        self.children = ChildRows(self.resource, self.present) if self.spec is not None else None

    def make_row(self, record: Record) -> Row:
        cells = record.cells
        row = Row(record.line, cells, problem=record.problem)
        if len(cells) != len(self.mapping):
            row.problem = row.problem or f"Row has {len(cells)} cells but the header has {len(self.mapping)} columns"
        for index, (column, cell) in enumerate(zip(self.mapping, cells, strict=False)):
            named = column.column_name if column is not None else f"Column {index + 1}"
            if "\x00" in cell:
                row.problem = row.problem or (
                    f"{named} contains a NUL character (shown as {NUL_SHOWN} in the error file), which no value "
                    "may hold; remove it"
                )
            if column is not None:
                row.values[column.column_name] = unneutralise(cell.strip())
            elif index in self.nameless and cell.strip():
                row.problem = row.problem or f"Row has a value in column {index + 1}, which has no header"
        return row

    def key_of(self, cells: list[str]) -> str:
        index = self.mapping.index(self.key_column)
        return fold(unneutralise(cells[index])) if index < len(cells) else ""

    # -- reading -----------------------------------------------------------------------------------

    def scan(self, binary, encoding: str) -> tuple[list[str], str, int, dict[str, int]]:
        """First pass: (header, delimiter, row count, last line of each multi-row object)."""
        header, delimiter, records = open_records(binary, encoding, self.known_columns())
        self.map_header(header)
        total, last_lines = 0, {}
        for line, cells, _ in records:
            total += 1
            if total > settings.BULK_MAX_ROWS:
                raise FileProblem(f"The file has more than {settings.BULK_MAX_ROWS:,} rows, the limit for one import.")
            if self.spec is not None:
                last_lines[self.key_of(cells)] = line
        return header, delimiter, total, last_lines

    def chunks(self, binary, encoding: str, last_lines: dict[str, int]):
        """Second pass: lists of units holding about chunk_rows rows."""
        _, _, records = open_records(binary, encoding, self.known_columns())
        pending: dict[str, Unit] = {}
        chunk, size = [], 0
        for record in records:
            row = self.make_row(record)
            line, key = record.line, self.key_of(record.cells)
            if self.spec is not None and key:
                unit = pending.setdefault(key, Unit(key, []))
                unit.rows.append(row)
                if last_lines.get(key) != line:
                    continue
                del pending[key]
            else:
                unit = Unit(key, [row])
            chunk.append(unit)
            size += len(unit.rows)
            if size >= self.chunk_rows:
                yield chunk
                chunk, size = [], 0
        chunk.extend(pending.values())
        if chunk:
            yield chunk

    # -- one chunk ---------------------------------------------------------------------------------

    def import_chunk(self, units: list[Unit], record) -> ChunkResult:
        """Validate and apply one chunk; record(result) is called inside the chunk's transaction."""
        self.check_rows(units)
        self.prime_references(units)
        existing = self.load_existing(units)
        owner_pks = [stored[self.pk_attname] for stored in existing.values()]
        existing_links = self.load_links(owner_pks)
        existing_children = self.children.load(owner_pks) if self.children else {}
        for unit in units:
            if not unit.failed:
                self.build(unit, existing.get(unit.key), existing_links, existing_children)
        with transaction.atomic():
            self.write_safely([unit for unit in units if not unit.failed and unit.changed])
            result = self.result(units)
            self.keep_statistics_fresh(result.counts[CREATED])
            if self.validate_only:
                transaction.set_rollback(True)
            else:
                record(result)
        if self.validate_only:
            record(result)
        return result

    def tables(self) -> list[str]:
        models = [self.model, *(m2m.remote_field.through for m2m in self.link_fields())]
        if self.spec is not None:
            models += [self.spec.model, *(m2m.remote_field.through for m2m in self.spec.model._meta.many_to_many)]
        return [model._meta.db_table for model in models]

    def refresh_statistics(self) -> None:
        """PostgreSQL plans the chunk's key lookups from table statistics; right after a large
        import they are stale (an empty table, say) and it would scan instead of using the index."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for table in self.tables():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def keep_statistics_fresh(self, created: int) -> None:
        self.created_since_analyze += created
        if self.created_since_analyze >= self.analyze_after:
            self.refresh_statistics()
            self.analyze_after *= 2
            self.created_since_analyze = 0

    def check_rows(self, units: list[Unit]) -> None:
        key_label = self.key_column.column_name
        for unit in units:
            for row in unit.rows:
                if row.problem:
                    unit.fail(row.problem, row.line)
            if not unit.key:
                unit.fail(f"{key_label} is required")
            elif self.spec is None:
                first = self.first_lines.setdefault(unit.key, unit.rows[0].line)
                if first != unit.rows[0].line:
                    shown = unit.rows[0].values.get(key_label, unit.key)
                    unit.fail(f"{key_label} '{shown}' is repeated: it first appears on line {first}")

    def prime_references(self, units: list[Unit]) -> None:
        for column in self.resource.columns():
            prime = getattr(column.widget, "prime", None)
            if prime is None or column.column_name not in self.present:
                continue
            names = {
                name
                for unit in units
                if not unit.failed
                for row in unit.rows
                for name in column.widget.names_in(row.values.get(column.column_name, ""))
            }
            prime(names)

    def load_existing(self, units: list[Unit]) -> dict:
        """{key: the stored row as a dict}. Plain values, not model instances: most rows of a
        re-import are unchanged and never need one."""
        keys = {unit.key for unit in units if unit.key and not unit.failed}
        if not keys:
            return {}
        queryset = self.model._default_manager.filter(match_key__in=keys)
        return {stored["match_key"]: stored for stored in queryset.values(*self.attnames)}

    def link_fields(self):
        return list(self.model._meta.many_to_many)

    def load_links(self, owner_pks: list) -> dict:
        """{list name: {owner pk: stored list}} for the chunk's existing objects: target pks for the
        lists the file sets (only compared), target objects for the others (rules look at them)."""
        found = {}
        if not owner_pks:
            return found
        set_by_file = {c.attribute for c in self.link_columns if c.column_name in self.present}
        for m2m in self.link_fields():
            through = m2m.remote_field.through
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            links = found.setdefault(m2m.name, {})
            rows = through.objects.filter(**{f"{source}_id__in": owner_pks})
            if m2m.name in set_by_file:
                for owner, target_pk in rows.values_list(f"{source}_id", f"{target}_id"):
                    links.setdefault(owner, []).append(target_pk)
            else:
                for link in rows.select_related(target):
                    links.setdefault(getattr(link, f"{source}_id"), []).append(getattr(link, target))
        return found

    # -- one unit ----------------------------------------------------------------------------------

    def object_value(self, unit: Unit, column):
        """A column of the object itself: read from the unit's first row; later rows may repeat it."""
        first = unit.rows[0]
        value, ok = clean_cell(unit, first, column)
        for row in unit.rows[1:]:
            raw = row.values.get(column.column_name, "")
            if not raw or raw == first.values.get(column.column_name, ""):
                continue
            try:
                same = ok and column.widget.clean(raw) == value
            except ValueError:
                same = False
            if not same:
                unit.fail(
                    f"{column.column_name} '{raw}' contradicts line {first.line} "
                    f"('{first.values.get(column.column_name, '')}')",
                    row.line,
                )
        return value, ok

    def same_as_stored(self, unit: Unit, stored: dict, existing_links: dict) -> bool:
        """The quick test for an unchanged one-row object: every cell it sets equals what is stored."""
        if self.children is not None or len(unit.rows) > 1:
            return False
        values = unit.rows[0].values
        try:
            for column in self.object_columns:
                if column.column_name in self.present:
                    value = column.widget.clean(values.get(column.column_name, ""))
                    if stored[self.attname_of[column.attribute]] != getattr(value, "pk", value):
                        return False
            for column in self.link_columns:
                if column.column_name in self.present:
                    chosen = {item.pk for item in column.widget.clean(values.get(column.column_name, ""))}
                    if chosen != set(existing_links.get(column.attribute, {}).get(stored[self.pk_attname], [])):
                        return False
        except ValueError:
            return False
        return True

    def build(self, unit: Unit, stored: dict | None, existing_links: dict, existing_children: dict) -> None:
        if stored is not None and self.same_as_stored(unit, stored, existing_links):
            return  # unchanged: nothing to validate or write
        unit.is_new = stored is None
        if stored is None:
            obj = self.model()
        else:
            obj = self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, [stored[name] for name in self.attnames])
        unit.instance = obj
        before = {f.attname: getattr(obj, f.attname) for f in self.concrete}
        for column in self.object_columns:
            if column.column_name in self.present:
                value, ok = self.object_value(unit, column)
                if ok:
                    setattr(obj, column.attribute, value)
        obj.normalize()
        unit.fields_changed = {f.name for f in self.concrete if getattr(obj, f.attname) != before[f.attname]}

        links = {name: existing_links.get(name, {}).get(obj.pk, []) for name in (m.name for m in self.link_fields())}
        for column in self.link_columns:
            if column.column_name in self.present:
                value, ok = self.object_value(unit, column)
                if ok and {t.pk for t in value} != set(links[column.attribute]):
                    unit.links_changed.add(column.attribute)
                links[column.attribute] = value if ok else []
        unit.links = links
        if self.children is not None:
            self.children.build(unit, existing_children.get(obj.pk, []))
        if unit.failed or not unit.changed:
            return
        self.validate(unit)

    def validate(self, unit: Unit) -> None:
        obj = unit.instance
        # References were resolved from the chunk's names, so they exist: skip ForeignKey.validate's
        # query per row, keeping only the "is required" check. Uniqueness is the engine's own (keys
        # are looked up, repeats refused) and the database's.
        try:
            obj.full_clean(exclude=[f.name for f in self.references], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for message in validation_messages(error):
                unit.fail(message)
        for reference in self.references:
            if not reference.null and getattr(obj, reference.attname) is None:
                unit.fail(reference.error_messages["null"])
        clean_links = getattr(obj, "clean_links", None)
        if clean_links is not None and not unit.failed:
            try:
                clean_links(unit.links)
            except ValidationError as error:
                for message in validation_messages(error):
                    unit.fail(message)

    # -- writing -----------------------------------------------------------------------------------

    def write_safely(self, units: list[Unit]) -> None:
        """Write the chunk in bulk; if the database refuses, write unit by unit so only the rows it
        refuses fail (a concurrent admin edit, say), each in a savepoint."""
        try:
            with transaction.atomic():
                self.write(units)
        except DatabaseError:
            self.forget_pks(units)
            for unit in units:
                try:
                    with transaction.atomic():
                        self.write([unit])
                except DatabaseError:
                    log.warning("The database refused a row of %s", self.model.__name__, exc_info=True)
                    self.forget_pks([unit])
                    unit.fail(DATABASE_REFUSED)

    @staticmethod
    def forget_pks(units: list[Unit]) -> None:
        for unit in units:
            if unit.is_new:
                unit.instance.pk = None
                unit.instance._state.adding = True

    def write(self, units: list[Unit]) -> None:
        batch = settings.BULK_BATCH_SIZE
        new = [unit.instance for unit in units if unit.is_new]
        updated = [unit for unit in units if not unit.is_new and unit.fields_changed]
        if self.resource.sequential:
            for unit in units:
                unit.instance.save()
        else:
            self.model.objects.bulk_create(new, batch_size=batch)
            if updated:
                fields = sorted(set().union(*(unit.fields_changed for unit in updated)))
                self.model.objects.bulk_update([unit.instance for unit in updated], fields, batch_size=batch)
        for m2m in self.link_fields():
            owners = [
                unit for unit in units if m2m.name in unit.links_changed or (unit.is_new and unit.links.get(m2m.name))
            ]
            replace_links(m2m, [(unit.instance.pk, unit.links[m2m.name]) for unit in owners])
        if self.children is not None:
            self.children.write([unit for unit in units if unit.children_changed or unit.is_new])

    # -- results -----------------------------------------------------------------------------------

    def result(self, units: list[Unit]) -> ChunkResult:
        result = ChunkResult()
        label = self.resource.noun()
        for unit in units:
            unit.outcome = FAILED if unit.failed else CREATED if unit.is_new else UPDATED if unit.changed else UNCHANGED
            result.objects += 1
            result.rows += len(unit.rows)
            result.counts[unit.outcome] += len(unit.rows)
            if not unit.failed:
                continue
            first_bad = min(unit.messages)
            for row in unit.rows:
                own = unit.messages.get(row.line)
                shown = unit.rows[0].values.get(self.key_column.column_name, "")
                message = (
                    "; ".join(own) if own else f"Not imported because line {first_bad} of {label} '{shown}' failed"
                )
                result.errors.append((row.line, row.cells, message))
        return result
