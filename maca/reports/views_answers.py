"""The audit tool's answers, counted, for the coordinator: per question, overall, by agency and
by area, with the answers given in words; and the counts as a CSV file.

Coordinators only: the counts are not protected for small numbers here, and the answers in
words are case-level text (each view of the page is in the access log). The report prints the
key questions' counts as the board may read them (`key_measures`).
"""

from django.shortcuts import render

from maca import access
from maca.downloads import CSV, csv_text, download
from maca.history.access_log import AccessKind, seen

from .answers import CSV_HEADER, answers_counted, answers_csv_rows, free_text_answers


@access.audit_view(access.COORDINATOR, methods=access.GET_ONLY)
def audit_answers(request, audit):
    context = {
        "audit": audit,
        "counted": answers_counted(audit),
        "in_words": free_text_answers(audit),
    }
    response = render(request, "reports/answers.html", context)
    return seen(request, response, AccessKind.ANSWERS, audit=audit)


@access.audit_view(access.COORDINATOR, methods=access.GET_ONLY)
def audit_answers_csv(request, audit):
    text = csv_text(CSV_HEADER, answers_csv_rows(answers_counted(audit)))
    # Counts only, no case's text: not in the access log.
    return download(text.encode(), CSV, f"answers-audit-{audit.pk}.csv")
