"""Retention keeps the answers chosen from a question's options (they are figures) and removes
dates with the free text (case-level detail)."""

from django.utils import timezone

from maca.history.redaction import removed
from maca.returns.models import Return
from tests import factories as f

from .conftest import apply_retention


def test_choices_and_scales_are_kept_and_dates_removed(closed_audit):
    f.QuestionFactory(
        audit=closed_audit, key="q3", text="Who led?", kind="choice", options=["Health", "Police"]
    )
    f.QuestionFactory(audit=closed_audit, key="q4", text="How well?", kind="scale")
    f.QuestionFactory(audit=closed_audit, key="q5", text="When?", kind="date")
    police = Return.objects.get(request__case__reference="T-E-01", request__agency__name="Police")
    Return.objects.filter(pk=police.pk).update(
        answers=police.answers | {"q3": "Health", "q4": "4", "q5": "2019-05-01"}
    )

    apply_retention()

    police.refresh_from_db()
    notice = removed(timezone.localdate())
    assert police.answers == {"q1": notice, "q2": "yes", "q3": "Health", "q4": "4", "q5": notice}
