"""The meeting pack: one PDF for the auditors to read before the meeting. A cover, the list
of cases, then every case summary on its own pages, marked OFFICIAL-SENSITIVE on every page.
A case with nothing to read (no return in, no flag, no ratification) has its line in the list
and no pages: the meeting turns past it in one line.

Built from `maca.meetings.summary.case_summaries` for the viewer who asked, so it holds only
what they may read (in practice a coordinator: the pack holds every agency's case-level text).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from maca import access
from maca.audits.models import Audit
from maca.meetings.summary import case_summaries
from maca.partnerships.ordering import in_partnership_order

MARKING = "OFFICIAL-SENSITIVE"


def meeting_pack_html(viewer: access.Viewer, audit: Audit) -> str:
    summaries = case_summaries(viewer, audit)
    agencies = {part.agency.pk: part.agency for s in summaries for part in s.agencies}
    paged = [s for s in summaries if has_pages(s)]
    context = {
        "audit": audit,
        "partnership": audit.partnership,
        "summaries": summaries,
        "paged": paged,
        "paged_pks": {s.case.pk for s in paged},
        "agencies": sorted(agencies.values(), key=in_partnership_order),
        "returned": sum(len(s.returned) for s in summaries),
        "expected": sum(len(s.agencies) for s in summaries),
        "prepared_at": timezone.localtime(),
        "marking": MARKING,
    }
    return render_to_string("reports/meeting_pack.html", context)


def has_pages(summary) -> bool:
    """Whether a case's summary has anything to read beyond its line in the list."""
    return bool(summary.returned or summary.flags or summary.ratification)


def meeting_pack_pdf(viewer: access.Viewer, audit: Audit) -> bytes:
    import weasyprint  # loads Pango: only where a PDF is made

    html = meeting_pack_html(viewer, audit)
    # The pack needs nothing from outside (its style is inline, its fonts the system's):
    # fetch nothing, so no text in it can make the renderer reach anywhere.
    fetcher = weasyprint.URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(
        string=html, base_url=str(settings.BASE_DIR / "maca" / "static"), url_fetcher=fetcher
    )
    return document.write_pdf()
