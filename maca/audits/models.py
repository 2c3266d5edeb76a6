import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone

from maca.errors import Kept
from maca.history.tracking import Tracked
from maca.links import MAX_LINK, web_address
from maca.partnerships.models import Agency, Area, Partnership
from maca.partnerships.ordering import partnership_order
from maca.profiles import CHOICES, LONGEST_VALUE, ProfileField

from .stages import Allows, AuditStatus


class AuditReason(models.TextChoices):
    """Why an audit is in the partnership's programme (the audit programme page)."""

    BOARD_PRIORITY = "board_priority", "A board priority"
    REVIEW = "review", "A review's recommendation"
    REAUDIT = "reaudit", "A re-audit due"
    INSPECTION = "inspection", "An inspection's finding"
    OTHER = "other", "Another reason"


class Audit(Tracked):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="audits")
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=200)
    rationale = models.TextField("why it was chosen", blank=True)
    # Blank for audits planned before the programme asked it.
    reason = models.CharField(max_length=20, choices=AuditReason.choices, blank=True)
    # A web address only (maca/links.py); one stored before that rule is shown as text.
    rationale_link = models.URLField(
        "link", max_length=MAX_LINK, blank=True, validators=[web_address]
    )
    status = models.CharField(
        max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNING
    )
    returns_due = models.DateField(null=True, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    # The seed the sample was drawn with, so the draw can be repeated and shown.
    sample_seed = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When it moved to closed: the retention period runs from here.
    closed_at = models.DateTimeField(null=True, blank=True)
    # A legal hold keeps the case-level text whatever the retention period says.
    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = models.TextField("reason for the legal hold", blank=True)
    # When `maca apply-retention` removed the case-level text, and which run did it.
    purged_at = models.DateTimeField(null=True, blank=True)
    purge_run = models.CharField(max_length=40, blank=True)
    # A re-audit looks again at an earlier audit of the same partnership (same theme, its
    # audit tool copied with the same question keys), and its report compares the two.
    reaudit_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reaudits",
        verbose_name="re-audit of",
    )

    class Meta:
        ordering = ["-meeting_date", "-returns_due", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "title"], name="audit_title_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=AuditStatus.values), name="audit_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(reason__in=["", *AuditReason.values]),
                name="audit_reason_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(legal_hold=False) | ~models.Q(legal_hold_reason=""),
                name="audit_legal_hold_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def history_audit_id(self) -> int:
        return self.pk

    @property
    def allows(self):
        """What the audit's stage allows (`audit.allows.ratify`): `maca.audits.stages`."""
        return Allows(self.status)


def on_hold_refused(audit_id: int) -> Kept:
    return Kept(
        f"Audit {audit_id} is on legal hold: it is not deleted or replaced while the hold lasts"
    )


def audit_kept_on_hold(sender, instance: Audit, **kwargs) -> None:
    """Before any deletion of an audit (its own, a queryset's, a cascade's): refused while it
    is on legal hold, as the database holds it (so a stale copy cannot slip through)."""
    if Audit.objects.filter(pk=instance.pk, legal_hold=True).exists():
        raise on_hold_refused(instance.pk)


class SamplePlanEntry(Tracked):
    """How many cases the audit samples from one area."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="sample_plan")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    cases = models.PositiveIntegerField()

    class Meta:
        ordering = ["audit", *partnership_order("area__")]
        constraints = [
            models.UniqueConstraint(fields=["audit", "area"], name="sample_plan_area_unique"),
        ]


class QuestionKind(models.TextChoices):
    TEXT = "text", "Free text"
    YES_NO_PARTLY = "yes_no_partly", "Yes, no or partly"
    GRADE = "grade", "Grade"
    CHOICE = "choice", "One choice from a list"
    SCALE = "scale", "A scale from 1 to 5"
    DATE = "date", "A date"


class YesNoPartly(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PARTLY = "partly", "Partly"


class Question(Tracked):
    """One question of the audit's tool, in order."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=32)
    text = models.TextField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    position = models.PositiveIntegerField(default=0)
    # A choice question's options, in order, as the coordinator typed them (the answer is the
    # option's text); a scale's optional words for 1 and 5 ({"1": …, "5": …}).
    options = models.JSONField(default=list, blank=True)
    scale_labels = models.JSONField(default=dict, blank=True)
    # Whether an agency may answer "not applicable" (maca.audits.answers.NOT_APPLICABLE).
    allows_not_applicable = models.BooleanField("agencies may answer not applicable", default=False)
    # Shown as the hint under the question on the return form.
    guidance = models.TextField(blank=True)
    # A key measure: its answers, counted, make the report's key measures. Only a question
    # whose answers can be counted (`maca.audits.answers.countable`) can be one.
    key_measure = models.BooleanField(default=False)

    class Meta:
        ordering = ["audit", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "key"], name="question_key_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=QuestionKind.values), name="question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Case(Tracked):
    """One child's or young person's case in an audit: a pseudonymous reference, never a name."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField(max_length=32)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cases")
    # Set when the meeting ratifies the case: its returns are then locked. Unlocking needs a
    # reason, which the change history keeps.
    locked_at = models.DateTimeField(null=True, blank=True)
    # The case's profile (maca.profiles, decision 69): each blank while not recorded, and only
    # the fields the partnership chose (`Partnership.profile_fields`) are shown anywhere.
    age_band = models.CharField(
        ProfileField.AGE_BAND.label, max_length=LONGEST_VALUE, blank=True,
        choices=CHOICES[ProfileField.AGE_BAND].choices,
    )  # fmt: skip
    level_of_need = models.CharField(
        ProfileField.LEVEL_OF_NEED.label, max_length=LONGEST_VALUE, blank=True,
        choices=CHOICES[ProfileField.LEVEL_OF_NEED].choices,
    )  # fmt: skip
    gender = models.CharField(
        ProfileField.GENDER.label, max_length=LONGEST_VALUE, blank=True,
        choices=CHOICES[ProfileField.GENDER].choices,
    )  # fmt: skip
    ethnicity = models.CharField(
        ProfileField.ETHNICITY.label, max_length=LONGEST_VALUE, blank=True,
        choices=CHOICES[ProfileField.ETHNICITY].choices,
    )  # fmt: skip
    send = models.CharField(
        ProfileField.SEND.label, max_length=LONGEST_VALUE, blank=True,
        choices=CHOICES[ProfileField.SEND].choices,
    )  # fmt: skip

    class Meta:
        ordering = ["audit", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "reference"], name="case_reference_unique"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__in": [*CHOICES[field].values, ""]}),
                    name=f"case_{field}_valid",
                )
                for field in ProfileField.values
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def profile(self) -> dict[str, str]:
        """Every field of the case's profile, by name: its stored value, "" when not recorded."""
        return {field: getattr(self, field) for field in ProfileField.values}


class Candidate(Tracked):
    """A case put forward for the sample (a row of the uploaded CSV), before and after the draw.

    `record_numbers` maps an involved agency's id (as a string) to that agency's own record
    number for the case; it is copied to the case's requests when the candidate is drawn.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="candidates")
    line = models.PositiveIntegerField("line of the CSV file")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    record_numbers = models.JSONField(default=dict)
    # The case's profile as the file gave it (field name → stored value, maca.profiles): copied
    # to the case when the candidate is drawn.
    profile = models.JSONField(default=dict, blank=True)
    case = models.OneToOneField(
        "Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="candidate"
    )
    # Set when the coordinator swaps a drawn case out: it is not drawn again.
    swapped_out_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["audit", "line"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "line"], name="candidate_line_unique"),
        ]

    def __str__(self) -> str:
        return f"Candidate on line {self.line}"


class RequestStatus(models.TextChoices):
    # Stored, and in the API and bundles, as `outstanding`; shown as "Not returned", because
    # "Outstanding" is also the best grade and read as one beside the grades (decision 44).
    OUTSTANDING = "outstanding", "Not returned"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for clarification"


class Request(Tracked):
    """The ask to one involved agency to audit one case. One per case and agency.

    A case's involved agencies are the agencies it has requests for; `sent_at` stays empty
    while the audit is being planned.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="requests")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="requests")
    # The agency's own record number for the case: visible to that agency only.
    agency_record_number = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OUTSTANDING
    )
    due = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", *partnership_order("agency__")]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="request_case_agency_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values),
                name="request_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.case} — {self.agency}"

    def get_absolute_url(self) -> str:
        """The page of this request's return (the agency's form, or the coordinator's view)."""
        return reverse("audits:return", args=[self.audit_id, self.case_id, self.agency_id])

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Not submitted and past its due date (the audit's, until the request has its own)."""
        due = self.due or self.audit.returns_due
        today = today or timezone.localdate()
        return self.status != RequestStatus.SUBMITTED and due is not None and due < today
