"""The audit tool's answers, counted: what the agencies answered to each question, across the
audit's submitted returns (a draft, a return not yet made or one sent back for clarification
is not counted).

Reads only, in two queries. A question whose answers can be counted (`countable`: it offers
a set of answers, `maca.audits.answers.answer_options`) is counted overall, by the case's area
and by the answering agency, per option, in the partnership's order of its areas and agencies.
A free-text answer is only listed (`free_text_answers`), for the coordinator's page: it is
never counted, and never goes into the report.
"""

from dataclasses import dataclass

from maca.audits.answers import answer_label, answer_options, countable
from maca.audits.models import Audit, Question, RequestStatus
from maca.partnerships.ordering import in_partnership_order
from maca.returns.models import Return


@dataclass(frozen=True)
class Tally:
    """How many answered the question (with one of its options), and how many chose each."""

    answered: int
    counts: dict[str, int]  # option value -> how many, in the options' order

    def as_json(self) -> dict:
        return {"answered": self.answered, "counts": dict(self.counts)}


@dataclass(frozen=True)
class QuestionCounts:
    question: Question
    options: list[tuple[str, str]]  # (value, label), as `answer_options` gives them
    overall: Tally
    by_area: dict[str, Tally]  # every area with a submitted return, in the partnership's order
    by_agency: dict[str, Tally]  # every agency with a submitted return, likewise

    def said(self) -> str:
        """ "Yes in 9 of 15 returns, No in 4, Partly in 2", as the page says it."""
        answered = self.overall.answered
        if not answered:
            return "No submitted return has answered it yet."
        parts = [
            f"{label} in {self.overall.counts[value]}"
            + (f" of {answered} {'return' if answered == 1 else 'returns'}" if i == 0 else "")
            for i, (value, label) in enumerate(self.options)
        ]
        # The labels as they are: a choice's options are typed by the coordinator (names).
        return ", ".join(parts) + "."

    def rows(self, groups: dict[str, Tally]) -> list[tuple[str, list[int], int]]:
        """A table's rows: each group's name, its count per option and how many answered."""
        return [
            (name, [tally.counts[value] for value, _ in self.options], tally.answered)
            for name, tally in groups.items()
        ]

    @property
    def tables(self) -> list[tuple[str, str, list[tuple[str, list[int], int]]]]:
        """The page's two tables: (caption, the rows' header, rows), each ending with all
        returns."""
        if not self.by_agency:
            return [("By agency", "Agency", []), ("By area", "Area", [])]
        everyone = self.rows({"All returns": self.overall})
        return [
            ("By agency", "Agency", self.rows(self.by_agency) + everyone),
            ("By area", "Area", self.rows(self.by_area) + everyone),
        ]

    def as_json(self) -> dict:
        """The shape of the report summary's `answers` (docs/bundle-format.md)."""
        question = self.question
        return {
            "key": question.key,
            "text": question.text,
            "kind": question.kind,
            "key_measure": question.key_measure,
            "options": [{"value": value, "label": label} for value, label in self.options],
            **self.overall.as_json(),
            "by_area": {name: tally.as_json() for name, tally in self.by_area.items()},
            "by_agency": {name: tally.as_json() for name, tally in self.by_agency.items()},
        }


@dataclass(frozen=True)
class FreeText:
    """One agency's free-text answer to a question, for one case."""

    case_reference: str
    agency: str
    text: str


def _submitted(audit: Audit) -> list[Return]:
    returns = Return.objects.filter(
        request__audit=audit, request__status=RequestStatus.SUBMITTED
    ).select_related("request__case__area", "request__agency")
    return sorted(
        returns,
        key=lambda r: (
            r.request.case.reference,
            in_partnership_order(r.request.agency),
            r.request.agency_id,
        ),
    )


def _questions(audit: Audit) -> list[Question]:
    return list(Question.objects.filter(audit=audit).order_by("position", "pk"))


def _tally(values: list[str], options: list[tuple[str, str]]) -> Tally:
    counts = {value: 0 for value, _ in options}
    for value in values:
        if value in counts:
            counts[value] += 1
    return Tally(sum(counts.values()), counts)


def answers_counted(audit: Audit) -> list[QuestionCounts]:
    """Every countable question of the audit's tool, in its order, with its answers counted.
    Two queries."""
    questions = [q for q in _questions(audit) if countable(q)]
    returns = _submitted(audit)
    areas = [
        a.name for a in sorted({r.request.case.area for r in returns}, key=in_partnership_order)
    ]
    agencies = [
        a.name for a in sorted({r.request.agency for r in returns}, key=in_partnership_order)
    ]
    counted = []
    for question in questions:
        options = answer_options(question)
        given = [(r, (r.answers or {}).get(question.key) or "") for r in returns]
        counted.append(
            QuestionCounts(
                question=question,
                options=options,
                overall=_tally([value for _, value in given], options),
                by_area={
                    name: _tally([v for r, v in given if r.request.case.area.name == name], options)
                    for name in areas
                },
                by_agency={
                    name: _tally([v for r, v in given if r.request.agency.name == name], options)
                    for name in agencies
                },
            )
        )
    return counted


def free_text_answers(audit: Audit) -> list[tuple[Question, list[FreeText]]]:
    """Each free-text question of the audit's tool with what the submitted returns answered,
    by case and then agency. For the coordinator's page only. Two queries."""
    questions = [q for q in _questions(audit) if not countable(q)]
    if not questions:
        return []
    returns = _submitted(audit)
    listed = []
    for question in questions:
        texts = []
        for r in returns:
            # As every page shows an answer: a date written out, "Not applicable" in words.
            text = answer_label(question, ((r.answers or {}).get(question.key) or "").strip())
            if text:
                texts.append(FreeText(r.request.case.reference, r.request.agency.name, text))
        listed.append((question, texts))
    return listed


CSV_HEADER = (
    "Question key",
    "Question",
    "Kind of answer",
    "Key measure",
    "Counted by",
    "Name",
    "Answer",
    "Returns",
    "Returns answering",
)


def answers_csv_rows(counted: list[QuestionCounts]) -> list[tuple]:
    """The counts as rows of a CSV file, one per question, group and option (`CSV_HEADER`)."""
    rows = []
    for each in counted:
        question = each.question
        groups = [
            ("All returns", "", each.overall),
            *(("Agency", name, tally) for name, tally in each.by_agency.items()),
            *(("Area", name, tally) for name, tally in each.by_area.items()),
        ]
        for by, name, tally in groups:
            for value, label in each.options:
                rows.append(
                    (
                        question.key,
                        question.text,
                        question.get_kind_display(),
                        "yes" if question.key_measure else "no",
                        by,
                        name,
                        label,
                        tally.counts[value],
                        tally.answered,
                    )
                )
    return rows
