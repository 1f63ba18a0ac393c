"""What keeps the admin's lists quick at the size the bulk engine writes (SPEC 12): a count that does
not scan a large table, and filters over references that search instead of listing every row."""

from dalf.admin import DALFRelatedFieldAjax
from django.core.paginator import EmptyPage, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.db.models.lookups import Contains
from django.utils.functional import cached_property

from config_objects.models.fields import fold

# Below this many rows (by the planner's estimate) a list is counted exactly: COUNT(*) is quick there,
# and the number shown is then always true.
ESTIMATE_FROM = 100_000


def estimated_rows(queryset) -> int | None:
    """PostgreSQL's estimate of the rows of an unfiltered queryset's table (pg_class.reltuples, kept
    by ANALYZE and autovacuum), or None where there is none to trust: another database, a filtered,
    distinct or sliced queryset, or a table never analyzed (-1)."""
    if not isinstance(queryset, QuerySet):
        return None
    query = queryset.query
    if query.where or query.distinct or query.low_mark or query.high_mark is not None or query.combinator:
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        found = cursor.fetchone()
    return found[0] if found and found[0] >= 0 else None


class FoldedContains(Contains):
    """Registered as `match_key__folded_contains=term` (keeping Contains' own lookup_name, by which the
    database backends spell the operator): the key contains the term, both compared folded (ignoring
    case as names do). A plain LIKE on the stored folded key: an icontains search would apply
    UPPER() to every one of a million names, at two and a half times the cost on PostgreSQL."""

    def get_prep_lookup(self):
        return fold(super().get_prep_lookup())


class EstimatedCountPaginator(Paginator):
    """A paginator whose count of a whole large table is PostgreSQL's estimate: an exact COUNT(*) of a
    million rows reads them all on every page. Filtered and searched lists (and every list on SQLite,
    and small tables) are counted exactly. A page past the end (an estimate a little high, or a page
    number kept in the address when a filter changes) shows the last page instead of an error."""

    @cached_property
    def count(self):
        estimate = estimated_rows(self.object_list)
        if estimate is not None and estimate >= ESTIMATE_FROM:
            return estimate
        return super().count

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            if int(number) < 1:
                raise
            return self.num_pages


class ReferenceFilter(DALFRelatedFieldAjax):
    """A list filter over a reference that searches the referenced objects as the user types (the
    admin's own autocomplete, through the referenced object's admin and its search_fields) instead
    of listing every one of them: a Users list filtered by site must not list a million sites.
    Shown only to those who may view the referenced objects, as their autocomplete requires."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        related_admin = model_admin.admin_site._registry.get(field.remote_field.model)
        self.searchable = related_admin is not None and related_admin.has_view_permission(request)

    def has_output(self):
        return self.searchable
