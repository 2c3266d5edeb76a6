"""A re-audit compared with the earlier audit it looks at again (coordinators): the figures of
the report's comparison, and the agencies' own grades and every action of the earlier audit's
recommendations beside them (`maca.reports.comparison`)."""

import datetime

from django.http import Http404
from django.shortcuts import render

from maca import access
from maca.actions.models import ActionStatus

from .comparison_blocks import measure_text, success_result, success_text, tally_text
from .summary import report_summary


@access.audit_view(access.COORDINATOR, methods=access.GET_ONLY)
def audit_comparison(request, audit):
    if audit.reaudit_of_id is None:
        raise Http404("Not a re-audit")
    comparison = report_summary(audit)["comparison"]
    context = {
        "audit": audit,
        "comparison": comparison,
        "grades": [
            (row["by"], row["group"], tally_text(row["before"]), tally_text(row["after"]))
            for row in comparison["grades"]
        ],
        "measures": [
            (m["text"], *(measure_text(m["options"], m[side]) for side in ("before", "after")))
            for m in comparison["key_measures"]
        ],
        "recommendations": [
            {
                **recommendation,
                "actions": [_dated(action) for action in recommendation["actions"]],
                "before": success_text(recommendation["success"]["before"])
                if recommendation["success"]
                else "",
                "after": success_result(recommendation["success"])
                if recommendation["success"]
                else "",
            }
            for recommendation in comparison["recommendations"]
        ],
    }
    return render(request, "reports/comparison.html", context)


def _dated(action: dict) -> dict:
    """An action with its dates as dates, for the page to print."""
    done = action["completed_on"]
    return action | {
        "due": datetime.date.fromisoformat(action["due"]),
        "completed_on": datetime.date.fromisoformat(done) if done else None,
        "done": action["status"] == ActionStatus.COMPLETE,
    }
