"""The report as a document: sections of blocks, built from the data and the edited words.

Every format is drawn from this one structure (the web page, the print HTML and its PDF, the
Word file), and a published edition keeps it whole as JSON, so what is published reads the same
for ever. The figures all come from `report_summary`, so the JSON summary, the PDF and the Word
file cannot disagree.

Each section has words and figures. The words start generated from the data and may be edited
by a coordinator (`ReportSection`); generated words never hold a figure, so an edit cannot
leave a figure stale. The figures (sentences with counts, the charts with their tables, the
numbered themes, the recommendations) always come from the data.

A document is a dict of plain JSON values:

    {"meta": {...}, "summary": {...}, "sections": [section, ...]}
    section: {"key", "title", "words", "edited", "stale", "blocks": [block, ...]}
    block:   {"kind": "paragraph", "text", "url"?}       a paragraph (with a link, for "url")
             {"kind": "bullets", "items": [str]}
             {"kind": "numbered", "items": [{"title", "text", "notes": [str],
                                              "table": table | None}]}
             {"kind": "chart", "key"}                     a chart of `charts.all_charts`
             {"kind": "table", "caption", "headers": [str], "rows": [[str | int]]}
    Every block also has "source": "words" (the section's words) or "data", and "volatile":
    true when it changes with time rather than with the report (action progress), which the
    digest leaves out.
"""

import datetime
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.utils import timezone

from maca.actions.models import Action, ActionStatus, Recommendation
from maca.audits.models import Audit, Request
from maca.grades import Grade
from maca.meetings.models import Attendee, AuditTheme, Meeting, Ratification
from maca.partnerships.ordering import partnership_order

from .comparison_blocks import comparison_figures
from .key_measures import KEY as KEY_MEASURES_CHART
from .models import ReportChart, ReportSection, SectionKey
from .practice import (
    areas_for_improvement_figures,
    areas_for_improvement_words,
    good_practice_words,
    practice_facts,
    theme_kind_note,
)
from .profiles import profiles_table
from .summary import report_summary

OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
OFFICIAL = "OFFICIAL"


@dataclass(frozen=True)
class Edition:
    """Which edition a file is, as every file prints it (on its cover and on every page)."""

    label: str  # "Draft", "Approved, not yet published", "Edition 2"
    marking: str  # the Government Security Classification marking
    date: datetime.date  # when it was made, or published
    watermark: str = ""  # "DRAFT" across every page of a draft
    number: int | None = None  # a published edition's number

    @property
    def date_text(self) -> str:
        return long_date(self.date)

    @property
    def slug(self) -> str:
        return f"edition-{self.number}" if self.number else self.label.split(",")[0].lower()


def draft_edition(date: datetime.date) -> Edition:
    return Edition("Draft", OFFICIAL_SENSITIVE, date, watermark="DRAFT")


def approved_edition(date: datetime.date) -> Edition:
    # Approved is still unpublished: it may not go beyond the partnership yet.
    return Edition("Approved, not yet published", OFFICIAL_SENSITIVE, date)


def published_edition(number: int, date: datetime.date) -> Edition:
    # A published edition has passed the identifier check and goes to the board and beyond.
    return Edition(f"Edition {number}", OFFICIAL, date, number=number)


CHART_KEYS = tuple(ReportChart.values)


# Words --------------------------------------------------------------------------------------


def join(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def cases(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


_BULLET = re.compile(r"^\s*[-*•]\s+")


def words_blocks(text: str) -> list[dict]:
    """Typed words as blocks: paragraphs split by blank lines; lines that start with "- ",
    "* " or "• " are bullet points."""
    blocks: list[dict] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        paragraph: list[str] = []
        bullets: list[str] = []
        for line in lines:
            if _BULLET.match(line):
                if paragraph:
                    blocks.append(_words_paragraph(paragraph))
                    paragraph = []
                bullets.append(_BULLET.sub("", line))
            elif bullets and line.startswith((" ", "\t")):
                bullets[-1] += " " + line.strip()  # a bullet's wrapped line
            else:
                if bullets:
                    blocks.append({"kind": "bullets", "items": bullets, "source": "words"})
                    bullets = []
                paragraph.append(line.strip())
        if paragraph:
            blocks.append(_words_paragraph(paragraph))
        if bullets:
            blocks.append({"kind": "bullets", "items": bullets, "source": "words"})
    return blocks


def _words_paragraph(lines: list[str]) -> dict:
    return {"kind": "paragraph", "text": " ".join(lines), "source": "words"}


def _data(kind: str, **fields) -> dict:
    return {"kind": kind, **fields, "source": "data"}


# The generated words of each section -----------------------------------------------------------


def default_words(audit: Audit, facts: dict) -> dict[str, str]:
    """The words each section starts with: drawn from the data, never holding a figure."""
    partnership = audit.partnership.name
    introduction = f"The theme of this multi-agency audit was ‘{audit.theme}’."
    if audit.rationale.strip():
        introduction += f" {audit.rationale.strip()}"
    return {
        SectionKey.SUMMARY: (
            f"What the {partnership} board is asked to decide: to note the findings, agree the "
            "recommendations, and ask the quality assurance sub-group to monitor their actions."
        ),
        SectionKey.INTRODUCTION: introduction,
        SectionKey.METHOD: (
            "Each agency involved in a case audited its own work on the case using the audit "
            "tool, and graded its involvement in line with the Ofsted and CQC grading criteria. "
            "Any single-agency learning or immediate action needed was escalated within the "
            "agency at once.\n\n"
            "The single-agency returns were combined into one multi-agency summary for each "
            "case. Auditors then met to consider each case in its entirety, agree its overall "
            "grade, identify good practice and areas of concern, and name the themes emerging "
            "across the cases. This report was written from the single-agency returns, the "
            "case summaries and the discussions at the audit meeting."
        ),
        SectionKey.SCORING: (
            "Each case was given an overall grade in line with the Ofsted and CQC grading "
            "criteria. The grade was based on the single-agency returns and ratified by the "
            "contributing agencies at the multi-agency audit meeting. Grades give an indication "
            "of the quality of practice, but scores alone do not fully explain the cases "
            "considered."
        ),
        SectionKey.THEMES: (
            "The auditors identified the following themes across the cases."
            if facts["themes"]
            else "No themes have been recorded for this audit."
        ),
        # By theme, and the concerns with the agencies' areas for development (decision 68).
        SectionKey.GOOD_PRACTICE: good_practice_words(facts["practice"]),
        SectionKey.AREAS_FOR_IMPROVEMENT: areas_for_improvement_words(facts["practice"]),
        SectionKey.IMMEDIATE_ACTIONS: (
            "Where a case was judged inadequate, immediate single-agency actions were agreed "
            "and taken to make sure the child or young person is safe now. They are monitored "
            "by the quality assurance sub-group until they are complete."
        ),
        SectionKey.RECOMMENDATIONS: (
            "The quality assurance sub-group makes the following recommendations in answer to "
            "the themes above. Each action is owned by one agency and monitored by the "
            "sub-group until it is complete."
        ),
        SectionKey.NEXT_STEPS: (
            f"The findings of the audit have been shared with the {partnership} board. The "
            "recommendations will be shared with the agencies concerned, and their actions "
            "will be monitored by the quality assurance sub-group. Agencies are encouraged to "
            "use this report to aid discussion within their teams."
        ),
    }


# The facts the figures need besides the summary ------------------------------------------------


def facts_for(audit: Audit) -> dict:
    themes = list(
        AuditTheme.objects.filter(audit=audit)
        .order_by("position", "pk")
        .values("pk", "title", "description")
    )
    not_scored = reasons_grouped(
        Ratification.objects.filter(case__audit=audit, grade=Grade.NOT_SCORED).values_list(
            "reason", flat=True
        )
    )
    immediate = list(
        Action.objects.filter(audit=audit, immediate=True)
        .select_related("agency")
        .order_by(*partnership_order("agency__"), "due", "pk")
    )
    recommendations = list(
        Recommendation.objects.filter(audit=audit)
        .prefetch_related("themes", "actions__agency")
        .order_by("position", "pk")
    )
    return {
        "themes": themes,
        "not_scored": not_scored,
        "practice": practice_facts(audit),
        "immediate": immediate,
        "recommendations": recommendations,
        **_dates_and_attendance(audit),
    }


def reasons_grouped(reasons) -> Counter:
    """The reasons cases were not scored, the same reason counted once however it was spaced,
    capitalised or ended: {"Insufficient information": 2}."""
    spelled: dict[str, str] = {}
    counts: Counter = Counter()
    for reason in reasons:
        text = " ".join(reason.split()).rstrip(".")
        key = text.casefold()
        spelled.setdefault(key, text)
        counts[spelled[key]] += 1
    return counts


def _dates_and_attendance(audit: Audit) -> dict:
    """When the requests went out and when the meeting was held, and who attended it: the
    agencies and how many people came from each (attendees' names are people's names, which
    a published report never prints)."""
    sent = Request.objects.filter(audit=audit, sent_at__isnull=False).aggregate(
        first=Min("sent_at"), last=Max("sent_at")
    )
    meetings = list(Meeting.objects.filter(audit=audit).values_list("held_on", flat=True))
    if not meetings and audit.meeting_date:  # a past audit loaded without its meeting's rows
        meetings = [audit.meeting_date]
    by_agency = list(
        Attendee.objects.filter(meeting__audit=audit)
        .values(*partnership_order("agency__"))
        .annotate(people=Count("pk"))
        .order_by(*partnership_order("agency__"))
    )
    return {
        "requests_sent": [
            timezone.localdate(sent[end]) for end in ("first", "last") if sent[end] is not None
        ],
        "returns_due": audit.returns_due,
        "meetings_held": sorted(meetings),
        "attendance": [(row["agency__name"], row["people"]) for row in by_agency],
    }


# The figures of each section -------------------------------------------------------------------


def _introduction_figures(audit: Audit, summary: dict) -> list[dict]:
    blocks = []
    if audit.rationale_link:
        blocks.append(
            _data("paragraph", text="Why this theme was chosen:", url=audit.rationale_link)
        )
    by_area = {area: n for area, n in summary["cases_by_area"].items() if n}
    counts = set(by_area.values())
    if not by_area:
        where = "no cases have been added yet"
        text = f"{summary['cases']} cases were audited: {where}."
    elif len(by_area) > 1 and len(counts) == 1:
        text = (
            f"{cases(summary['cases'])} were audited, {counts.pop()} from each of the "
            f"{len(by_area)} areas ({join(list(by_area))})."
        )
    else:
        text = (
            f"{cases(summary['cases'])} were audited: "
            f"{join([f'{n} from {area}' for area, n in by_area.items()])}."
        )
    returns = summary["returns"]
    text += (
        f" Returns were requested from every agency involved in each case: "
        f"{returns['submitted']} of the {returns['requested']} returns requested were "
        f"completed."
    )
    agencies = summary["agencies"]
    if agencies:
        text += f" The agencies that contributed were {join(agencies)}."
    blocks.append(_data("paragraph", text=text))
    return blocks


GRADE_WORDS = {
    Grade.OUTSTANDING: "outstanding",
    Grade.GOOD: "good",
    Grade.REQUIRES_IMPROVEMENT: "requiring improvement",
    Grade.INADEQUATE: "inadequate",
}


def grades_sentence(summary: dict, reasons: Counter) -> list[str]:
    """The ratified grades in words and numbers, as the seeds put them."""
    total, ratified, grades = summary["cases"], summary["ratified"], summary["grades"]
    first, *rest = Grade.scale()
    sentences = [
        f"Of the {cases(total)} audited, {grades[first]} "
        f"{'was' if grades[first] == 1 else 'were'} graded {GRADE_WORDS[first]}, "
        + join([f"{grades[grade]} {GRADE_WORDS[grade]}" for grade in rest])
        + "."
    ]
    not_scored = grades[Grade.NOT_SCORED]
    if not_scored:
        sentence = (
            f"{not_scored} of the {cases(total)} {'was' if not_scored == 1 else 'were'} not "
            "given a score"
        )
        sentence += _reasons_said(reasons)
        sentences.append(sentence + ".")
    if ratified < total:
        sentences.append(
            f"{cases(total - ratified)} {'has' if total - ratified == 1 else 'have'} not been "
            "ratified yet."
        )
    return sentences


#: A reason longer than this is about one case's detail: counted, not printed.
REASON_LONGEST = 120


def _reasons_said(reasons: Counter) -> str:
    """The reasons, grouped: ", because: insufficient information" for one shared reason;
    ": no returns received: 2 cases; insufficient information: 1 case" for several."""
    said = [(reason, n) for reason, n in reasons.most_common() if len(reason) <= REASON_LONGEST]
    other = sum(n for reason, n in reasons.items() if len(reason) > REASON_LONGEST)
    if not said:
        return ""
    if len(said) == 1 and not other:
        reason = said[0][0]
        return f", because: {reason[:1].lower()}{reason[1:]}"
    parts = [f"{reason[:1].lower()}{reason[1:]}: {cases(n)}" for reason, n in said]
    if other:
        parts.append(f"{'another reason' if other == 1 else 'other reasons'}: {cases(other)}")
    return ": " + "; ".join(parts)


def _summary_figures(summary: dict, facts: dict) -> list[dict]:
    total, grades = summary["cases"], summary["grades"]
    graded = join([f"{grades[grade]} {GRADE_WORDS[grade]}" for grade in Grade.scale()])
    text = f"What was found: {cases(total)} {'was' if total == 1 else 'were'} audited: {graded}"
    if grades[Grade.NOT_SCORED]:
        text += f", and {grades[Grade.NOT_SCORED]} not scored"
    themes, recommendations = len(facts["themes"]), len(facts["recommendations"])
    text += (
        f". {themes} {'theme was' if themes == 1 else 'themes were'} found, and the report makes "
        f"{recommendations} {'recommendation' if recommendations == 1 else 'recommendations'}."
    )
    return [_data("paragraph", text=text)]


def _method_figures(facts: dict) -> list[dict]:
    """The audit's dates and who attended its meeting."""
    sentences = []
    sent, due = facts["requests_sent"], facts["returns_due"]
    if sent:
        when = long_date(sent[0])
        if sent[-1] != sent[0]:
            when = f"between {long_date(sent[0])} and {long_date(sent[-1])}"
        else:
            when = f"on {when}"
        sentences.append(
            f"Requests for single-agency audits were sent {when}"
            + (f", with returns due by {long_date(due)}." if due else ".")
        )
    held = facts["meetings_held"]
    if held:
        sentence = (
            "The multi-agency audit meeting was held on "
            if len(held) == 1
            else "The multi-agency audit meetings were held on "
        ) + join([long_date(day) for day in held])
        attendance = facts["attendance"]
        people = sum(n for _, n in attendance)
        named = [f"{agency} ({n})" if n > 1 else agency for agency, n in attendance if agency]
        unnamed = sum(n for agency, n in attendance if not agency)
        if unnamed:
            named.append(f"{unnamed} without an agency")
        if people:
            sentence += (
                f", attended by {people} {'person' if people == 1 else 'people'}: {join(named)}"
            )
        sentences.append(sentence + ".")
    return [_data("paragraph", text=" ".join(sentences))] if sentences else []


def _scoring_figures(summary: dict, facts: dict) -> list[dict]:
    blocks = [_data("paragraph", text=" ".join(grades_sentence(summary, facts["not_scored"])))]
    chosen = summary.get("charts", CHART_KEYS)
    blocks += [_data("chart", key=key) for key in CHART_KEYS if key in chosen]
    # A re-audit's report then compares it with the earlier audit (`comparison_blocks`).
    return (
        blocks
        + _key_measures_figures(summary)
        + _profiles_figures(summary)
        + comparison_figures(summary)
    )


def _key_measures_figures(summary: dict) -> list[dict]:
    """The key questions' answers, counted as the board may read them (`key_measures`): one
    chart, whose data table is the key measures table (from all returns and by area)."""
    # What the counts are is the table's caption: the report fits on six pages.
    return [_data("chart", key=KEY_MEASURES_CHART)] if summary.get("key_measures") else []


def _profiles_figures(summary: dict) -> list[dict]:
    """The cases by profile and their grades, as the board may read them (`profiles`): one
    table, only for the profile fields the partnership records."""
    table = profiles_table(summary.get("profiles") or [])
    return [_data("table", **table)] if table else []


def _themes_figures(summary: dict, facts: dict) -> list[dict]:
    if not facts["themes"]:
        return []
    total = summary["cases"]
    items = []
    for theme, figures in zip(facts["themes"], summary["themes"], strict=True):
        # Whether it is a strength or an area for improvement (decision 68).
        kind = theme_kind_note(figures.get("kind"))
        notes = [f"{figures['cases']} of the {cases(total)}. {kind}"]
        if figures["recurring_in"]:
            notes.append(f"This theme was also found in {join(figures['recurring_in'])}.")
        items.append(
            {
                "title": theme["title"],
                "text": " ".join(theme["description"].split()),
                "notes": notes,
                "table": None,
            }
        )
    return [_data("numbered", items=items)]


def _immediate_figures(summary: dict, facts: dict) -> list[dict]:
    inadequate = summary["grades"][Grade.INADEQUATE]
    actions = facts["immediate"]
    if not inadequate and not actions:
        return [_data("paragraph", text="No case was judged inadequate.")]
    agencies = list(dict.fromkeys(action.agency.name for action in actions))
    text = (
        f"{cases(inadequate)} {'was' if inadequate == 1 else 'were'} judged inadequate. "
        f"{len(actions)} immediate {'action was' if len(actions) == 1 else 'actions were'} "
        "agreed" + (f", with {join(agencies)}." if agencies else ".")
    )
    blocks = [_data("paragraph", text=text)]
    done = sum(1 for action in actions if action.status == ActionStatus.COMPLETE)
    if len(actions) == 1:
        progress = "It is complete." if done else "It is not complete yet."
    elif done == len(actions):
        progress = f"All {len(actions)} are complete."
    elif actions:
        progress = f"{done} of the {len(actions)} are complete."
    if actions:
        blocks.append(_data("paragraph", text=progress, volatile=True))
    return blocks


def _recommendations_figures(summary: dict, facts: dict) -> list[dict]:
    recommendations = facts["recommendations"]
    if not recommendations:
        return [_data("paragraph", text="No recommendations have been recorded yet.")]
    numbers = {theme["pk"]: n for n, theme in enumerate(facts["themes"], start=1)}
    items = []
    for recommendation in recommendations:
        answered = sorted(numbers[t.pk] for t in recommendation.themes.all() if t.pk in numbers)
        notes = []
        if answered:
            word = "theme" if len(answered) == 1 else "themes"
            notes.append(f"In answer to {word} {join([str(n) for n in answered])}.")
        actions = sorted(recommendation.actions.all(), key=lambda a: (a.due, a.position, a.pk))
        table = None
        if actions:
            table = {
                "caption": "Actions",
                "headers": ["Agency", "Action", "Due"],
                "rows": [
                    [
                        action.agency.name,
                        " ".join(action.description.split()),
                        long_date(action.due),
                    ]
                    for action in actions
                ],
            }
        items.append(
            {
                "title": "",
                "text": " ".join(recommendation.text.split()),
                "notes": notes,
                "table": table,
            }
        )
    return [_data("numbered", items=items), _data("paragraph", **_progress(summary))]


def _progress(summary: dict) -> dict:
    total, open_, overdue = (summary["actions"][k] for k in ("total", "open", "overdue"))
    agreed = f"{total} {'action was' if total == 1 else 'actions were'} agreed"
    if not total:
        text = "No actions have been agreed yet."
    elif not open_:
        text = f"{agreed}; {'it is' if total == 1 else 'all are'} complete."
    else:
        text = (
            f"{agreed}; {open_} {'is' if open_ == 1 else 'are'} still open, "
            f"{overdue} of {'it' if open_ == 1 else 'them'} overdue."
        )
    # Action progress moves with time, not with the report: it is left out of the digest.
    return {"text": text, "volatile": True}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def long_date(value: datetime.date) -> str:
    """ "31 March 2018", as the report prints every date."""
    return f"{value.day} {value:%B %Y}"


# The document ---------------------------------------------------------------------------------


def report_document(audit: Audit) -> dict:
    """The audit's report as it stands: the current words and the current figures."""
    audit = Audit.objects.select_related("partnership").get(pk=audit.pk)
    summary = report_summary(audit)
    facts = facts_for(audit)
    defaults = default_words(audit, facts)
    edited = {section.key: section for section in ReportSection.objects.filter(audit=audit)}
    figures = {
        SectionKey.SUMMARY: _summary_figures(summary, facts),
        SectionKey.INTRODUCTION: _introduction_figures(audit, summary),
        SectionKey.METHOD: _method_figures(facts),
        SectionKey.SCORING: _scoring_figures(summary, facts),
        SectionKey.THEMES: _themes_figures(summary, facts),
        SectionKey.AREAS_FOR_IMPROVEMENT: areas_for_improvement_figures(summary),
        SectionKey.IMMEDIATE_ACTIONS: _immediate_figures(summary, facts),
        SectionKey.RECOMMENDATIONS: _recommendations_figures(summary, facts),
    }
    sections = []
    for key in SectionKey:
        section = edited.get(key)
        custom = section is not None and section.custom
        words = section.text if custom else defaults[key]
        sections.append(
            {
                "key": key.value,
                "title": key.label,
                "words": words,
                "edited": custom,
                "version": section.version if section else 0,  # what an edit starts from
                # Edited, and the words it would now start from are not those it started from.
                "stale": custom and section.based_on != defaults[key],
                "blocks": _in_order(key, words_blocks(words), figures.get(key, [])),
            }
        )
    return {
        "meta": {
            "partnership": audit.partnership.name,
            "audit_id": audit.pk,
            "title": audit.title,
            "theme": audit.theme,
            "made_at": timezone.now().isoformat(timespec="seconds"),
        },
        "summary": summary,
        "sections": sections,
    }


def _in_order(key: str, words: list[dict], figures: list[dict]) -> list[dict]:
    """A section's words, then its figures; the executive summary says what was found (its
    figures) before what the board is asked to decide (its words)."""
    return figures + words if key == SectionKey.SUMMARY else words + figures


def recommendations_in(document: dict) -> int:
    """How many recommendations the report makes (its recommendations section's list)."""
    [section] = [s for s in document["sections"] if s["key"] == SectionKey.RECOMMENDATIONS]
    return sum(
        len(block["items"])
        for block in section["blocks"]
        if block["kind"] == "numbered" and block["source"] == "data"
    )


def document_digest(document: dict) -> str:
    """What an approval is given to: the title and every section's words and figures, but not
    the moment it was made or figures that move with time (action progress)."""
    content = {
        "title": document["meta"]["title"],
        "theme": document["meta"]["theme"],
        "sections": [
            {
                "key": section["key"],
                "blocks": [b for b in section["blocks"] if not b.get("volatile")],
            }
            for section in document["sections"]
        ],
        # The charts are drawn from these figures.
        "figures": {
            key: document["summary"][key]
            for key in ("cases", "grades", "grades_by_area", "agency_vs_ratified", "returns")
        },
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def document_text(document: dict) -> list[tuple[str, str]]:
    """Every piece of text the document prints, with the title of the section it is in: what
    the identifier check reads before publishing."""
    from .charts import all_charts

    pieces = [("Title", document["meta"]["title"]), ("Title", document["meta"]["theme"])]
    for section in document["sections"]:
        for block in section["blocks"]:
            pieces += [(section["title"], text) for text in block_text(block)]
    for chart in all_charts(document["summary"]):
        pieces.append(("Charts", f"{chart.title}. {chart.alt}"))
        table = {"headers": chart.table.headers, "rows": chart.table.rows}
        pieces += [("Charts", text) for text in _rows_text(table)]
    return pieces


def block_text(block: dict) -> list[str]:
    kind = block["kind"]
    if kind == "paragraph":
        return [block["text"], *([block["url"]] if block.get("url") else [])]
    if kind == "bullets":
        return list(block["items"])
    if kind == "numbered":
        texts = []
        for item in block["items"]:
            texts += [item["title"], item["text"], *item["notes"]]
            if item["table"]:
                texts += _rows_text(item["table"])
        return [text for text in texts if text]
    if kind == "table":
        return _rows_text(block)
    return []


def _rows_text(table: dict) -> list[str]:
    # Each cell with its header ("Due: 31 March 2018"), as a reader takes it: a due date is
    # then read as a date of an event, not of a birth.
    return [
        ". ".join(f"{header}: {cell}" for header, cell in zip(table["headers"], row, strict=False))
        for row in table["rows"]
    ]
