"""Finding personal identifiers in a report's text before it is published.

A summary report is shared with the board and beyond, so before it is published its whole text
is checked for anything that could identify a child or a family: NHS numbers, dates of birth,
postcodes, phone numbers, e-mail addresses, the audit's case references and the names in the
partnership's list of names to catch. Publishing is refused while anything is found, and each
passage found is shown to the coordinator (see `Finding.passage`).

This module is pure Python: it knows nothing of models, so the caller passes the case references
and names to look for.

The check leans towards catching too much rather than too little, but it must not flag the
ordinary figures every report is full of ("15 cases were audited", "Page 4 of 33", "2017/18",
"SCR recommendation 4.2") or every date in it ("the meeting on 20 November 2017"). The rules
for each kind are given with the pattern that finds it, below.

Dates of birth
--------------
A date (in any of the forms 12/03/2009, 12-03-2009, 12.03.09, 12 March 2009, 12th March 2009,
March 12, 2009, 2009-03-12) is taken to be a date of birth when either:

1. a birth word ("born", "DOB", "D.O.B", "date of birth", "birthday", "birth date", "aged")
   is within 30 characters before or after it in the same sentence, or it comes straight after
   "b." ("b. 3 May 2012"); or
2. the person born on it would be under 25 today (a child or young person: the date is not in
   the future and less than 25 years ago), unless the word straight before it is one that dates
   an event rather than a person (a preposition such as "on", "by", "from", "until", or a word
   such as "meeting", "due", "held", "review", "report", "section"; see `_EVENT_WORDS_BEFORE`),
   or the word straight after it is such a word ("20 November 2017 meeting"; see
   `_EVENT_WORDS_AFTER`).

Written with full stops, a date needs two digits for the day and the month ("12.03.09"), so
that section numbers such as "1.1.10" are not read as dates. Two-digit years are read as this
century's up to this year and the last century's after it.

So "DOB 12/03/2015" and "born 3 May 2012" are caught by rule 1, "Child A (12/03/2015) lived
with ..." by rule 2, and "The meeting was held on 20 November 2017" and "returns due by
31 October 2017" are not flagged.

What is checked
---------------
The text is checked as a reader sees it, not as it is typed: before any pattern runs, each
character goes through Unicode's compatibility normalisation (NFKC: full-width digits, ligatures,
superscripts), every space of any kind (Unicode's Zs, tabs) becomes one ordinary space and a run
of them one space, every dash and the minus sign becomes a hyphen, digits of other scripts become
0 to 9, and invisible format characters (zero-width spaces and joiners, soft hyphens) are
dropped. So "943 476 5919" written with no-break or thin spaces, with en dashes, or with a
zero-width space between its digits is still an NHS number (issue 18). A finding's `start`,
`end`, `text` and `passage` are always those of the text as given.

People's names are found by `people.py` (a trained model and word lists, decision 39) when
`people` is on, besides the names to catch; a detected name never hides another finding.

Every pattern here runs in time linear in the text's length (no pattern can backtrack over a
run of characters more than once, and findings are kept without comparing each with every
other), which `tests/reports/test_identifiers_unicode.py` measures; the words of a report
section are limited in length besides (`ReportSection.WORDS_MAX`).
"""

from __future__ import annotations

import bisect
import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "LABELS",
    "Finding",
    "find_identifiers",
    "is_valid_nhs_number",
    "normalised",
    "passage_of",
]

#: Human words for each kind of finding, for the message shown to the coordinator.
LABELS = {
    "nhs_number": "an NHS number",
    "date_of_birth": "a date of birth",
    "postcode": "a postcode",
    "phone_number": "a phone number",
    "email": "an e-mail address",
    "case_reference": "a case reference",
    "name": "a name",
    "person": "what may be a person's name",
}

# When two findings of the same length overlap, the kind earlier in this list wins.
_PRIORITY = [
    "case_reference",
    "name",
    "email",
    "nhs_number",
    "phone_number",
    "date_of_birth",
    "postcode",
]

#: How many characters either side of a match a passage may reach at most.
PASSAGE_REACH = 60


@dataclass(frozen=True)
class Finding:
    """One identifier found in a text.

    `text` is exactly `checked_text[start:end]`; `passage` is the surrounding sentence (at most
    `PASSAGE_REACH` characters either side of the match, with "…" where it was cut short),
    always containing `text`; `label` names the kind in words ("an NHS number").
    """

    kind: str
    text: str
    start: int
    end: int
    passage: str
    label: str


# ---------------------------------------------------------------------------------------------
# Normalising
# ---------------------------------------------------------------------------------------------

# Dashes that Unicode does not put in its dash punctuation category (Pd).
_MORE_DASHES = frozenset("\u2212\u2796\u2043\u02d7\u2e3a\u2e3b\ufe63\uff0d")
_HORIZONTAL_SPACE = frozenset("\t\x0b\x0c\x1c\x1d\x1e\x1f")
_LINE_BREAKS = frozenset("\r\x85")


def _plain(char: str) -> str:
    """What one character counts as for the check."""
    if char in _HORIZONTAL_SPACE:
        return " "
    if char in _LINE_BREAKS:
        return "\n"
    category = unicodedata.category(char)
    if category == "Zs":
        return " "
    if category in ("Zl", "Zp"):
        return "\n"
    if category == "Pd" or char in _MORE_DASHES:
        return "-"
    if category == "Cf":
        return ""  # zero-width spaces and joiners, soft hyphens, byte-order marks
    if category == "Nd":
        return str(unicodedata.digit(char))
    folded = unicodedata.normalize("NFKC", char)
    if folded == char:
        return char
    return "".join(_plain(c) if c != char else c for c in folded)


_NOTHING_TO_DO = re.compile(r"[^\x20-\x7e\n]|  ")


def normalised(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """The text as the check reads it, and for each of its characters where it came from:
    `starts[i]` and `ends[i]` bound the characters of `text` that made character i.

    NFKC for each character; every space one space, and a run of spaces one; every dash a
    hyphen; other scripts' digits 0 to 9; invisible format characters dropped.
    """
    if not _NOTHING_TO_DO.search(text):
        return text, range(len(text)), range(1, len(text) + 1)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, char in enumerate(text):
        plain = char if char.isascii() and char not in _HORIZONTAL_SPACE else _plain(char)
        for c in plain:
            if c == " " and out and out[-1] == " ":
                ends[-1] = i + 1  # one space for the whole run
                continue
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    return "".join(out), starts, ends


# ---------------------------------------------------------------------------------------------
# Passages
# ---------------------------------------------------------------------------------------------

# The end of a sentence: a full stop, ! or ? followed by space and a capital letter, or a blank
# line. (A full stop followed by a digit or a small letter, as in "D.O.B. 12/03/2015" or
# "e.g. the", does not end one.)
_SENTENCE_END = re.compile(r"[.!?](?=[\"'’”)\]]*\s+[\"'‘“(\[]*[A-Z])|\n[ \t]*\n")


def _sentence_bounds(text: str, start: int, end: int, reach: int) -> tuple[int, int]:
    """The sentence around text[start:end], cut to at most `reach` characters either side."""
    lo = max(0, start - reach)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    hi = min(len(text), end + reach)
    right = hi
    m = _SENTENCE_END.search(text, end, hi)
    if m:
        # Keep a sentence's own full stop (not a blank line) in the passage.
        right = m.start() + 1 if text[m.start()] in ".!?" else m.start()
    return left, right


def passage_of(text: str, start: int, end: int, *, reach: int = PASSAGE_REACH) -> str:
    """The passage around text[start:end] to show the coordinator.

    It is the sentence the match is in, cut to at most `reach` characters either side of the
    match (at a word boundary where there is one), with "…" where it was cut, and stripped of
    surrounding space. It always contains text[start:end].
    """
    left, right = _sentence_bounds(text, start, end, reach)
    prefix = suffix = ""
    if left == start - reach and left > 0 and not _SENTENCE_END.search(text, left - 1, left + 1):
        # Cut mid-sentence: start at the next word rather than mid-word.
        space = text.find(" ", left, start)
        if space != -1:
            left = space + 1
        prefix = "…"
    if right == end + reach and right < len(text):
        space = text.rfind(" ", end, right)
        if space != -1:
            right = space
        suffix = "…"
    before = text[left:start].lstrip()
    after = text[end:right].rstrip()
    return f"{prefix}{before}{text[start:end]}{after}{suffix}"


# ---------------------------------------------------------------------------------------------
# NHS numbers
# ---------------------------------------------------------------------------------------------

# Ten digits, run together or grouped 3-3-4 with single spaces or hyphens (the same both times),
# not part of a longer run of digits.
_NHS_RE = re.compile(r"(?<![\d+/.,-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d/]|[.,]\d)")


def is_valid_nhs_number(digits: str) -> bool:
    """Whether ten digits make an NHS number with a valid modulus-11 check digit.

    The first nine digits are weighted 10 down to 2 and summed; the check digit is 11 minus the
    remainder of the sum divided by 11, where 11 becomes 0 and 10 means no number is valid.
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str) -> Iterable[tuple[str, int, int]]:
    for m in _NHS_RE.finditer(text):
        if is_valid_nhs_number(m[1] + m[3] + m[4]):
            yield "nhs_number", m.start(), m.end()


# ---------------------------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBREVIATIONS = {name[:3]: n for name, n in _MONTHS.items()} | {"sept": 9}
_MONTH = (
    r"(?P<{g}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"

_DATE_RE = re.compile(
    "|".join(
        [
            # 12/03/2009, 12-03-2009, 12.03.09 (day first, the same separator twice); with full
            # stops, day and month take two digits each, so "section 1.1.10" is no date
            r"(?<![\w/.-])(?:(?P<d1>\d{1,2})(?P<sep>[/-])(?P<m1>\d{1,2})(?P=sep)"
            r"|(?P<d5>\d{2})\.(?P<m5>\d{2})\.)(?P<y1>\d{4}|\d{2})(?![\w/-]|\.\d)",
            # 2009-03-12
            r"(?<![\w/.-])(?P<y2>\d{4})-(?P<m2>\d{2})-(?P<d2>\d{2})(?![\w/-]|\.\d)",
            # 12 March 2009, 12th of March 2009, 12 Mar. 2009
            rf"(?<![\w/.])(?P<d3>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH.format(g='mn3')}"
            r",?\s+(?P<y3>\d{4})(?![\w/])",
            # March 12, 2009; March 12th 2009
            rf"\b{_MONTH.format(g='mn4')}\s+(?P<d4>\d{{1,2}}){_ORDINAL},?\s+(?P<y4>\d{{4}})"
            r"(?![\w/])",
        ]
    ),
    re.IGNORECASE,
)

_BIRTH_WORDS = re.compile(
    r"\b(?:born|d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s*days?|birth\s*date|aged)",
    re.IGNORECASE,
)
_B_DOT_BEFORE = re.compile(r"\bb\.\s*$", re.IGNORECASE)


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: A date straight after one of these words dates an event, not a person.
_EVENT_WORDS_BEFORE = _words(
    """
    on by from until till to since before after between and or of in at during within
    dated due held meeting meetings review reviewed report reported published received sent
    deadline commencing ending starting beginning audit audited panel session minutes returns
    date dates updated completed agreed closed opened week w/c
    section sections paragraph para recommendation recommendations table figure page item
    appendix chapter version
    """
)
#: A date straight before one of these words dates an event, not a person.
_EVENT_WORDS_AFTER = _words("meeting meetings review panel audit deadline session report minutes")
_WORD_BEFORE = re.compile(r"([\w/]+)[\W_]*$")
_WORD_AFTER = re.compile(r"^[\W_]*(\w+)")

#: How near (in characters, within the sentence) a birth word must be to a date.
BIRTH_WORD_REACH = 30
#: Below this age a full date is taken to be a child's or young person's date of birth.
YOUNG_PERSON_AGE = 25


def _date_of(m: re.Match) -> datetime.date | None:
    """The date a `_DATE_RE` match stands for, or None if it is no real date."""
    try:
        if m["y1"]:
            year = int(m["y1"])
            if len(m["y1"]) == 2:
                year += 2000 if year <= datetime.date.today().year % 100 else 1900
            return datetime.date(year, int(m["m1"] or m["m5"]), int(m["d1"] or m["d5"]))
        if m["y2"]:
            return datetime.date(int(m["y2"]), int(m["m2"]), int(m["d2"]))
        day, month_name, year = (
            (m["d3"], m["mn3"], m["y3"]) if m["d3"] else (m["d4"], m["mn4"], m["y4"])
        )
        month_name = month_name.lower()
        month = _MONTHS.get(month_name) or _MONTH_ABBREVIATIONS[month_name[:4].rstrip("t")[:3]]
        return datetime.date(int(year), month, int(day))
    except (ValueError, KeyError):
        return None


def _under_age(born: datetime.date, today: datetime.date, age: int) -> bool:
    """Whether someone born on `born` is, today, at least 0 and under `age` years old."""
    if born > today:
        return False
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return years < age


def _near_birth_word(text: str, start: int, end: int) -> bool:
    """Rule 1: a birth word within reach of text[start:end], in the same sentence."""
    left, right = _sentence_bounds(text, start, end, BIRTH_WORD_REACH)
    if _BIRTH_WORDS.search(text, left, start) or _BIRTH_WORDS.search(text, end, right):
        return True
    return bool(_B_DOT_BEFORE.search(text[max(0, start - 4) : start]))


def _dates_an_event(text: str, start: int, end: int) -> bool:
    """Whether the word before (or after) text[start:end] shows it dates an event."""
    before = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    if before and before[1].lower() in _EVENT_WORDS_BEFORE:
        return True
    after = _WORD_AFTER.search(text[end : end + 40])
    return bool(after and after[1].lower() in _EVENT_WORDS_AFTER)


def _dates_of_birth(text: str, today: datetime.date) -> Iterable[tuple[str, int, int]]:
    for m in _DATE_RE.finditer(text):
        born = _date_of(m)
        if born is None:
            continue
        start, end = m.span()
        if _near_birth_word(text, start, end) or (
            _under_age(born, today, YOUNG_PERSON_AGE) and not _dates_an_event(text, start, end)
        ):
            yield "date_of_birth", start, end


# ---------------------------------------------------------------------------------------------
# Postcodes
# ---------------------------------------------------------------------------------------------

# The outward code (an area of one or two letters, a district of a digit and then a digit or a
# letter) and the inward code (a digit and two letters), with or without a space between. The
# letters follow Royal Mail's rules: no Q, V or X first, no I, J or Z second, and none of
# C, I, K, M, O or V in the inward code; which keeps words like "A1 road" or "Q3 2017" out.
_POSTCODE_RE = re.compile(
    r"(?<![\w-])"
    r"(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|[A-PR-UWYZ]\d[A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY])"
    r" ?\d[ABD-HJLNP-UW-Z]{2}"
    r"(?![\w-])",
    re.IGNORECASE,
)


def _postcodes(text: str) -> Iterable[tuple[str, int, int]]:
    for m in _POSTCODE_RE.finditer(text):
        yield "postcode", m.start(), m.end()


# ---------------------------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------------------------

# Where a UK number may begin: +44 (perhaps with "(0)"), "(0" or a lone 0 not inside a word or
# a longer figure.
_PHONE_START = re.compile(r"(?<![\w+./,-])(?:\+44[ -]?(?:\(0\)[ -]?)?|\(0|0(?=\d))")
# What may follow: groups of digits, each after at most one space or hyphen (or a closing
# bracket and a space, for "(0161) 496 0000").
_PHONE_GROUP = re.compile(r"\)?[ -]?(\d+)")
# A national number: 11 digits, or 10 for some 01 numbers. Never 00, 04 or 06.
_NATIONAL = re.compile(r"0(?:[1-35789]\d{9}|1\d{8})")


def _phone_numbers(text: str) -> Iterable[tuple[str, int, int]]:
    pos = 0
    while m := _PHONE_START.search(text, pos):
        start = m.start()
        digits = "0" if m[0] == "0" or m[0] == "(0" else ""
        international = m[0].startswith("+44")
        if international and "(0)" in m[0]:
            digits = "0"
        at, end, paren_open = m.end(), None, m[0] == "(0"
        while len(digits) <= 11:
            g = _PHONE_GROUP.match(text, at)
            if not g or (")" in g[0] and not paren_open):
                break
            if ")" in g[0]:
                paren_open = False
            group = g[1]
            if international and not digits:
                group = group if group.startswith("0") else "0" + group
            digits += group
            at = g.end()
            if _NATIONAL.fullmatch(digits):
                end = at
        if end is not None and not re.match(r"[\w/]|[.,]\d", text[end : end + 2]):
            yield "phone_number", start, end
            pos = end
        else:
            pos = m.end()


# ---------------------------------------------------------------------------------------------
# E-mail addresses, case references and names
# ---------------------------------------------------------------------------------------------

# A match may begin only where a run of the local part's characters begins (the look-behind
# holds every one of them), so no run is scanned more than once.
_EMAIL_RE = re.compile(
    r"(?<![\w.+'-])[\w.+'-]*\w@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)


def _emails(text: str) -> Iterable[tuple[str, int, int]]:
    for m in _EMAIL_RE.finditer(text):
        yield "email", m.start(), m.end()


def _words_pattern(phrase: str) -> str:
    """A pattern for a phrase, any run of space standing for any other."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


def _case_references(text: str, references: Iterable[str]) -> Iterable[tuple[str, int, int]]:
    # Word-bounded, and a hyphen counts as part of a reference ("NEG-C-01" is not in
    # "NEG-C-012" nor "NEG-C-01-2").
    for reference in {r.strip().lower() for r in references if r and r.strip()}:
        pattern = re.compile(
            rf"(?<![\w-])(?<!\w-){_words_pattern(reference)}(?!\w|-\w)", re.IGNORECASE
        )
        for m in pattern.finditer(text):
            yield "case_reference", m.start(), m.end()


def _names(text: str, names: Iterable[str]) -> Iterable[tuple[str, int, int]]:
    # Whole words; a possessive 's (straight or curly apostrophe) is taken in with the name.
    for name in {n.strip().lower() for n in names if n and n.strip()}:
        pattern = re.compile(rf"(?<!\w){_words_pattern(name)}(?:['’]s)?(?!\w)", re.IGNORECASE)
        for m in pattern.finditer(text):
            yield "name", m.start(), m.end()


# ---------------------------------------------------------------------------------------------
# All together
# ---------------------------------------------------------------------------------------------


def _without_overlaps(spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The spans to keep, in order of position: each in turn (as `spans` are ordered) unless it
    overlaps one already kept. The kept spans never overlap, so only the neighbours of where a
    span would go need comparing with it."""
    starts: list[int] = []
    kept: list[tuple[str, int, int]] = []
    for kind, start, end in spans:
        at = bisect.bisect_right(starts, start)
        if at > 0 and kept[at - 1][2] > start:
            continue
        if at < len(kept) and kept[at][1] < end:
            continue
        starts.insert(at, start)
        kept.insert(at, (kind, start, end))
    return kept


def find_identifiers(
    text: str,
    *,
    case_references: Iterable[str] = (),
    names: Iterable[str] = (),
    today: datetime.date | None = None,
    people: bool = False,
    known: Iterable[str] = (),
) -> list[Finding]:
    """Every personal identifier in `text`, in order of position.

    `case_references` are the audit's case references and `names` the partnership's list of
    names to catch; both are matched whole and regardless of case. `today` (by default the
    date today) is what a date of birth's age is counted from; see the module's notes. With
    `people`, what may be a person's name is found too (`people.py`), except within the
    `known` names (the partnership's agencies and areas).

    The text is read normalised (see the module's notes); findings are of the text as given.

    Findings never overlap: where two would, the longer is kept (and, if they are as long, the
    one whose kind comes first in case reference, name, e-mail, NHS number, phone number, date
    of birth, postcode). A detected person's name is kept only where nothing else was found, so
    that marking it as not a name can never hide anything else.
    """
    today = today or datetime.date.today()
    plain, starts, ends = normalised(text)
    spans = [
        *_case_references(plain, [normalised(r)[0] for r in case_references if r]),
        *_names(plain, [normalised(n)[0] for n in names if n]),
        *_emails(plain),
        *_nhs_numbers(plain),
        *_phone_numbers(plain),
        *_dates_of_birth(plain, today),
        *_postcodes(plain),
    ]
    spans.sort(key=lambda s: (-(s[2] - s[1]), _PRIORITY.index(s[0]), s[1]))
    if people:
        from .people import people_in

        detected = people_in(plain, known=[normalised(k)[0] for k in known if k])
        spans += [("person", start, end) for start, end in detected]
    found = []
    for kind, start, end in _without_overlaps(spans):
        start, end = starts[start], ends[end - 1]
        found.append(
            Finding(
                kind=kind,
                text=text[start:end],
                start=start,
                end=end,
                passage=passage_of(text, start, end),
                label=LABELS[kind],
            )
        )
    return found
