import datetime

import factory

from maca.accounts.models import User
from maca.actions.models import Action, Recommendation
from maca.audits.models import (
    Audit,
    AuditStatus,
    Candidate,
    Case,
    Question,
    Request,
    RequestStatus,
    SamplePlanEntry,
)
from maca.meetings.models import Attendee, AuditTheme, CasePoint, Meeting, Ratification
from maca.partnerships.models import Agency, Area, LibraryTheme, Membership, Partnership
from maca.returns.models import Return

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Partnership {n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["partnership", "name"]

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Area {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["partnership", "name"]

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = "coordinator"
    agency = None


class LibraryThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryTheme
        django_get_or_create = ["partnership", "title"]

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Library theme {n}")


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Audit {n}")
    theme = "Transitions"
    rationale = "A priority of the partnership"
    status = AuditStatus.COLLECTING
    # Relative to today, so that "due in the future" stays true whenever the tests run.
    returns_due = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=25))
    meeting_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=52))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    audit = factory.SubFactory(AuditFactory)
    partnership = factory.SelfAttribute("audit.partnership")
    key = factory.Sequence(lambda n: f"q{n}")
    text = "Was the child's voice heard?"
    kind = "text"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    audit = factory.SubFactory(AuditFactory)
    partnership = factory.SelfAttribute("audit.partnership")
    reference = factory.Sequence(lambda n: f"C-{n:03d}")
    area = factory.SubFactory(AreaFactory, partnership=factory.SelfAttribute("..partnership"))


class SamplePlanEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SamplePlanEntry

    audit = factory.SubFactory(AuditFactory)
    partnership = factory.SelfAttribute("audit.partnership")
    area = factory.SubFactory(AreaFactory, partnership=factory.SelfAttribute("..partnership"))
    cases = 5


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    audit = factory.SubFactory(AuditFactory)
    partnership = factory.SelfAttribute("audit.partnership")
    line = factory.Sequence(lambda n: n + 2)
    area = factory.SubFactory(AreaFactory, partnership=factory.SelfAttribute("..partnership"))
    record_numbers = factory.LazyFunction(dict)


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request

    case = factory.SubFactory(CaseFactory)
    audit = factory.SelfAttribute("case.audit")
    partnership = factory.SelfAttribute("case.partnership")
    agency = factory.SubFactory(AgencyFactory, partnership=factory.SelfAttribute("..partnership"))
    status = RequestStatus.OUTSTANDING
    due = factory.SelfAttribute("audit.returns_due")


class ReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Return

    request = factory.SubFactory(RequestFactory, status=RequestStatus.SUBMITTED)
    partnership = factory.SelfAttribute("request.partnership")
    grade = "good"
    good_practice = "Timely referral to early help."


class RatificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ratification

    case = factory.SubFactory(CaseFactory)
    partnership = factory.SelfAttribute("case.partnership")
    grade = "good"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    audit = factory.SubFactory(AuditFactory)
    partnership = factory.SelfAttribute("audit.partnership")
    held_on = factory.SelfAttribute("audit.meeting_date")
    location = "Room 2, the civic centre"


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    meeting = factory.SubFactory(MeetingFactory)
    partnership = factory.SelfAttribute("meeting.partnership")
    name = factory.Sequence(lambda n: f"Attendee {n}")


class CasePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CasePoint

    case = factory.SubFactory(CaseFactory)
    partnership = factory.SelfAttribute("case.partnership")
    kind = "good_practice"
    text = "The school nurse saw the child within a week."


class AuditThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditTheme

    audit = factory.SubFactory(AuditFactory)
    partnership = factory.SelfAttribute("audit.partnership")
    title = factory.Sequence(lambda n: f"Theme {n}")


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    audit = factory.SubFactory(AuditFactory)
    partnership = factory.SelfAttribute("audit.partnership")
    text = "Agencies should share information with GPs at every review."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    recommendation = factory.SubFactory(RecommendationFactory)
    audit = factory.SelfAttribute("recommendation.audit")
    partnership = factory.SelfAttribute("audit.partnership")
    agency = factory.SubFactory(AgencyFactory, partnership=factory.SelfAttribute("..partnership"))
    owner = "Named GP lead"
    description = "Add GP contact to the review template"
    due = datetime.date(2027, 3, 31)


def published_report(audit, *, with_pdf: bool = True):
    """Publish the audit's report as it stands as its next edition, bypassing approval, with
    its PDF made (a stand-in file: the tests of rendering make real ones)."""
    from django.utils import timezone

    from maca.reports.document import document_digest, report_document
    from maca.reports.models import Rendition, RenditionKind, RenditionStatus, ReportEdition

    document = report_document(audit)
    edition = ReportEdition.objects.create(
        partnership=audit.partnership,
        audit=audit,
        number=audit.report_editions.count() + 1,
        document=document,
        digest=document_digest(document),
        published_at=timezone.now(),
    )
    if with_pdf:
        Rendition.objects.create(
            partnership=audit.partnership,
            audit=audit,
            kind=RenditionKind.REPORT_PDF,
            edition=edition,
            status=RenditionStatus.READY,
            content=b"%PDF-1.7 stand-in",
            filename=f"report-audit-{audit.pk}-edition-{edition.number}.pdf",
            finished_at=timezone.now(),
        )
    return edition


def published_briefing(edition):
    """The audit's learning briefing drafted from `edition` (the report's) and published as its
    next edition, bypassing the identifier check (the tests of publishing run it)."""
    from django.utils import timezone

    from maca.reports.briefing import briefing_document, draft_parts
    from maca.reports.models import Briefing, BriefingEdition

    audit = edition.audit
    briefing, _ = Briefing.objects.update_or_create(
        audit=audit,
        defaults={
            "partnership": audit.partnership,
            "drafted_from": edition,
            **draft_parts(edition),
        },
    )
    number = audit.briefing_editions.count() + 1
    return BriefingEdition.objects.create(
        partnership=audit.partnership,
        audit=audit,
        number=number,
        report_edition=edition,
        document=briefing_document(briefing, number=number, day=timezone.localdate()),
        published_at=timezone.now(),
    )


def dissemination(what, **fields):
    """A row of the dissemination log: `what` went (a report's or a briefing's edition)."""
    from django.utils import timezone

    from maca.actions.models import Dissemination
    from maca.reports.models import BriefingEdition

    key = "briefing" if isinstance(what, BriefingEdition) else "edition"
    values = {
        "channel": "team_meeting",
        "recipient": "Duty team",
        "sent_on": timezone.localdate(),
        "people_reached": 10,
        **fields,
    }
    return Dissemination.objects.create(
        partnership=what.partnership, audit=what.audit, **{key: what}, **values
    )


def feedback_pack_ready(edition, agency, kind: str = "feedback_pdf"):
    """An agency's feedback pack on a published edition, made (a stand-in file: the tests of
    the pack make real ones)."""
    from django.utils import timezone

    from maca.reports.models import Rendition, RenditionStatus

    return Rendition.objects.create(
        partnership=edition.partnership,
        audit=edition.audit,
        kind=kind,
        edition=edition,
        agency=agency,
        status=RenditionStatus.READY,
        content=b"%PDF-1.7 stand-in" if kind == "feedback_pdf" else b"PK stand-in",
        filename=f"feedback-audit-{edition.audit_id}.{kind.removeprefix('feedback_')}",
        finished_at=timezone.now(),
    )
