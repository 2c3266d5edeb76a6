"""Issue 18: the identifier check reads text as a person reads it, and in linear time.

An NHS number written with no-break or thin spaces passed the check and was published. Every
kind of identifier is run here through every space Unicode has (its Zs category) and every dash
(its Pd category, the minus sign and the others that look like one), and through the invisible
and look-alike characters that can hide one. The check's time on long adversarial input is
measured at n and 4n characters: linear time gives a ratio of 4, quadratic 16.
"""

import datetime
import unicodedata

import pytest

from maca.reports.identifiers import find_identifiers, normalised

TODAY = datetime.date(2025, 6, 1)

SPACES = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Zs"] + ["\t"]
DASHES = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Pd"] + [
    "\u2212",  # minus sign
    "\u2796",  # heavy minus sign
    "\u2043",  # hyphen bullet
    "\u02d7",  # modifier letter minus sign
]

# (kind, sentence with {s} where the separator goes, which separators it is written with)
KINDS = [
    ("nhs_number", "The NHS number 943{s}476{s}5919 was on the referral.", "spaces dashes"),
    ("phone_number", "The mother's number, 07700{s}900123, was shared.", "spaces dashes"),
    ("postcode", "The family lived at BB1{s}1AA until May.", "spaces"),
    ("date_of_birth", "The child was born 3{s}May{s}2012 in Preston.", "spaces"),
    ("date_of_birth", "The referral gave DOB 12{s}03{s}2015 for the child.", "dashes"),
    ("case_reference", "The auditors discussed case T{s}E{s}01 at length.", "dashes"),
    ("name", "The school knew Amira{s}Begum well.", "spaces"),
    ("person", "The school knew Oliwia{s}Kowalczyk well.", "spaces"),
    ("email", "The mother wrote from parent@example.com{s}last week.", "spaces"),
]


def test_the_separators_are_every_unicode_space_and_the_common_dashes():
    assert len(SPACES) >= 17  # Zs: the space, no-break, ogham, en quad … ideographic space
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d-":
        assert dash in DASHES, f"U+{ord(dash):04X}"


def _cases():
    for kind, sentence, families in KINDS:
        for family in families.split():
            for sep in SPACES if family == "spaces" else DASHES:
                yield pytest.param(kind, sentence, sep, id=f"{kind}-U+{ord(sep):04X}")


@pytest.mark.parametrize(("kind", "sentence", "sep"), list(_cases()))
def test_each_kind_is_found_whatever_the_separator(kind, sentence, sep):
    text = sentence.format(s=sep)
    findings = find_identifiers(
        text,
        case_references=["T-E-01"],
        names=["Amira Begum"],
        today=TODAY,
        people=kind == "person",
    )
    assert [f.kind for f in findings] == [kind], text
    [finding] = findings
    # What is shown is the text as it was typed, separator and all.
    assert finding.text == text[finding.start : finding.end]
    assert (sep in finding.text) == (kind != "email")
    assert finding.text in finding.passage


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # zero-width space, word joiner, soft hyphen and a byte-order mark between the digits
        ("NHS number 943\u200b476\u200b5919 on file.", "943\u200b476\u200b5919"),
        ("NHS number 943\u2060476\u20605919 on file.", "943\u2060476\u20605919"),
        ("NHS number 943\u00ad476\u00ad5919 on file.", "943\u00ad476\u00ad5919"),
        ("NHS number 943\ufeff476\ufeff5919 on file.", "943\ufeff476\ufeff5919"),
        # a run of spaces of several kinds
        ("NHS number 943\u00a0 476 \u2009 5919 on file.", "943\u00a0 476 \u2009 5919"),
        # full-width and mathematical digits, and Arabic-Indic digits
        ("NHS number ９４３ ４７６ ５９１９ on file.", "９４３ ４７６ ５９１９"),
        ("NHS number 𝟗𝟒𝟑 𝟒𝟕𝟔 𝟓𝟗𝟏𝟗 on file.", "𝟗𝟒𝟑 𝟒𝟕𝟔 𝟓𝟗𝟏𝟗"),
        ("NHS number ٩٤٣ ٤٧٦ ٥٩١٩ on file.", "٩٤٣ ٤٧٦ ٥٩١٩"),
        # a full-width at sign in an e-mail address
        ("Write to parent＠example.com today.", "parent＠example.com"),
    ],
)
def test_hidden_and_look_alike_characters_do_not_hide_an_identifier(text, expected):
    assert [f.text for f in find_identifiers(text, today=TODAY)] == [expected]


def test_normalising_keeps_track_of_where_each_character_came_from():
    text = "ab\u00a0\u2009 c\u2013d\u200be ﬁ"
    plain, starts, ends = normalised(text)
    assert plain == "ab c-de fi"
    assert [text[starts[i] : ends[i]] for i in range(len(plain))] == [
        "a", "b", "\u00a0\u2009 ", "c", "\u2013", "d", "e", " ", "ﬁ", "ﬁ"
    ]  # fmt: skip


def test_plain_text_is_read_as_it_is():
    text = "Fifteen cases were audited, five from each area."
    plain, starts, _ = normalised(text)
    assert plain == text
    assert list(starts) == list(range(len(text)))


# How long the check takes on adversarial input (linear, not backtracking) is measured by
# bench/limits.py: timing belongs in bench/, not in tests.
