"""Phase 4, report: a chunk's outcome per row (created, updated, unchanged, failed) and its error rows."""

from django.utils.translation import gettext as _

from bulkops.engine.shape import ObjectShape
from bulkops.engine.units import CREATED, FAILED, UNCHANGED, UPDATED, ChunkResult, Unit


def not_imported(line: int, label: str, shown: str) -> str:
    return _("Not imported because line %(line)s of %(object)s '%(name)s' failed") % {
        "line": line,
        "object": label,
        "name": shown,
    }


def report(shape: ObjectShape, units: list[Unit]) -> ChunkResult:
    result = ChunkResult()
    label = shape.resource.noun()
    for unit in units:
        unit.outcome = FAILED if unit.failed else CREATED if unit.is_new else UPDATED if unit.changed else UNCHANGED
        result.objects += 1
        result.rows += len(unit.rows)
        result.counts[unit.outcome] += len(unit.rows)
        if not unit.failed:
            continue
        if unit.key:
            result.failed_keys.append(unit.key)
        first_bad = min(unit.messages)
        for row in unit.rows:
            own = unit.messages.get(row.line)
            shown = unit.rows[0].values.get(shape.key_column.column_name, "")
            message = "; ".join(own) if own else not_imported(first_bad, label, shown)
            result.errors.append((row.line, row.cells, message))
    return result
