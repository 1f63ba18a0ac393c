"""The failed rows on a job's details page (SPEC section 5): a page of them at a time, with a page
parameter of its own so that it and the changes list (?page=, ?action=) each keep their place."""

from django.core.paginator import Paginator
from django.utils.text import capfirst

from bulkops.failed_rows import failed_rows_listed, job_failed_rows
from bulkops.models import Job, JobError
from config_objects.registry import object_type

FAILED_ROWS_PER_PAGE = 50
FAILED_PAGE = "failed_page"


def other_lists_query(request, own: tuple[str, ...]) -> str:
    """The request's query without the parameters of one list, ready to have that list's own added
    ("action=created&page=2&", or "")."""
    kept = request.GET.copy()
    for name in own:
        kept.pop(name, None)
    return kept.urlencode() + "&" if kept else ""


def failed_rows_context(request, job: Job, *, may_see: bool) -> dict:
    """What the details page shows of the job's failed rows: none for a job without any; for whoever
    may not have its files, only that they are not theirs."""
    if not job.failed:
        return {}
    context = {
        "shows_failed_rows": True,
        "failed_rows_heading": capfirst(JobError._meta.verbose_name_plural),
        "failed_rows_line": capfirst(JobError._meta.get_field("line").verbose_name),
    }
    if not may_see:
        return context
    page = Paginator(job_failed_rows(job), FAILED_ROWS_PER_PAGE).get_page(request.GET.get(FAILED_PAGE))
    return context | {
        "may_see_failed_rows": True,
        "failed_rows_page": page,
        "failed_rows": failed_rows_listed(job, page.object_list),
        "failed_rows_by_part": object_type(job.object_type).is_package,
        # A page's link is this and its number: the other lists' parameters stay as they are.
        "failed_rows_query": f"{other_lists_query(request, (FAILED_PAGE,))}{FAILED_PAGE}=",
    }
