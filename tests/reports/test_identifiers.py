"""The check for personal identifiers a summary report must pass before it is published."""

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maca.reports.identifiers import (
    Finding,
    find_identifiers,
    is_valid_nhs_number,
    passage_of,
)

TODAY = datetime.date(2025, 6, 1)


def found(text, **kwargs):
    return [(f.kind, f.text) for f in find_identifiers(text, today=TODAY, **kwargs)]


# --- Each kind, in a realistic sentence ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Health records for the child (NHS no. 943 476 5919) were shared late.", "943 476 5919"),
        ("The GP held the NHS number 943-476-5919 on file.", "943-476-5919"),
        ("The NHS number 9434765919 was recorded by the school nurse.", "9434765919"),
    ],
)
def test_nhs_numbers_are_found(sentence, expected):
    assert found(sentence) == [("nhs_number", expected)]


def test_an_nhs_number_with_a_wrong_check_digit_is_not_found():
    assert found("The NHS number 943 476 5918 was recorded.") == []
    assert found("The NHS number 9434765910 was recorded.") == []


def test_the_nhs_check_digit():
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918")
    assert not is_valid_nhs_number("943476591")
    # Nine digits whose check comes out at 10 make no valid number, whatever the tenth.
    nine = "000000001"  # weighted sum 2: 11 - 2 = 9
    assert is_valid_nhs_number(nine + "9")
    ten_case = "000000010"  # weighted sum 3: 11 - 3 = 8
    assert is_valid_nhs_number(ten_case + "8")
    # A sum that leaves 1 needs a check digit of 10: never valid.
    assert not any(is_valid_nhs_number("000000006" + str(d)) for d in range(10))  # 12 % 11 = 1
    # A sum that leaves 0 needs a check digit of 0.
    assert is_valid_nhs_number("0000000000")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Child A, DOB 12/03/2015, was known to children's social care.", "12/03/2015"),
        ("She was born 3 May 2012 and moved to the area in 2016.", "3 May 2012"),
        ("D.O.B. 12.03.09 was written on the referral.", "12.03.09"),
        ("His date of birth (12-03-2009) was wrong on the health record.", "12-03-2009"),
        ("The baby, b. March 12, 2009, was seen by the health visitor.", "March 12, 2009"),
        ("Records gave a birthday of 2009-03-12 for the young person.", "2009-03-12"),
        ("Child C (14/07/2016) lived with her grandmother.", "14/07/2016"),
        ("The young person, 21st of June 2008, was excluded from school.", "21st of June 2008"),
    ],
)
def test_dates_of_birth_are_found(sentence, expected):
    assert found(sentence) == [("date_of_birth", expected)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The meeting was held on 20 November 2017.",
        "The meeting on 20 November 2017 agreed the actions.",
        "Agencies were asked to send returns due by 31 October 2017.",
        "Actions were reviewed from 1 September 2016 until 31 March 2017.",
        "The audit panel, 20/11/2017, ratified the grades.",
        "The 12/03/2019 meeting agreed the actions.",
        "See section 1.1.10 and recommendation 2.3.14 of the review.",
        # A full date more than 25 years ago, with no birth word near, is no child's.
        "The Children Act 1989 came into force on 14 October 1991; see also 1 April 1990.",
    ],
)
def test_dates_that_are_not_dates_of_birth_are_not_found(sentence):
    assert found(sentence) == []


def test_a_birth_word_in_another_sentence_does_not_count():
    text = "The meeting was on 20 November 2017. Child A was born in Leeds."
    assert found(text) == []


def test_an_adult_date_of_birth_is_still_found_next_to_a_birth_word():
    assert found("Mother, born 4 April 1980, attended.") == [("date_of_birth", "4 April 1980")]


def test_an_impossible_date_is_not_found():
    assert found("DOB 31/02/2015") == []


@pytest.mark.parametrize(
    "postcode", ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "sw1a 1aa", "EC1A1BB"]
)
def test_postcodes_are_found(postcode):
    assert found(f"The family moved to a flat at {postcode} in the spring.") == [
        ("postcode", postcode)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The family often travelled on the A1 road.",
        "Returns for Q3 2017 were late.",
        "Child B was in Year 6 in 2017.",
        "Agencies used form A4 for returns.",
    ],
)
def test_words_like_postcodes_are_not_found(sentence):
    assert found(sentence) == []


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700 900 123",
        "01632 960123",
        "020 7946 0018",
        "+44 7700 900123",
        "+44 (0)20 7946 0018",
        "(0161) 496 0000",
        "0161-496-0000",
    ],
)
def test_phone_numbers_are_found(number):
    assert found(f"Mother could be reached on {number} most days.") == [("phone_number", number)]


def test_a_phone_number_stops_where_its_digits_do():
    assert found("Ring 01632 960123 15 times a week.") == [("phone_number", "01632 960123")]


def test_email_addresses_are_found():
    text = "The school wrote to jo.bloggs+home@example.org.uk. No reply came."
    assert found(text) == [("email", "jo.bloggs+home@example.org.uk")]


def test_case_references_are_found_whole_and_regardless_of_case():
    text = (
        "Case NEG-C-01 showed drift; neg-c-01 was also late. NEG-C-012 and NEG-C-01-2 are others."
    )
    assert found(text, case_references=["NEG-C-01"]) == [
        ("case_reference", "NEG-C-01"),
        ("case_reference", "neg-c-01"),
    ]


def test_names_are_found_as_whole_words_with_a_possessive():
    text = "Jayden's mother told the school that jayden was unwell. Jaydens Court is elsewhere."
    assert found(text, names=["Jayden"]) == [("name", "Jayden's"), ("name", "jayden")]


def test_names_of_more_than_one_word_and_curly_possessives():
    text = "Kacey  Smith’s school raised it."
    assert found(text, names=["Kacey Smith", ""]) == [("name", "Kacey  Smith’s")]


# --- Findings together ----------------------------------------------------------------------------


def test_findings_are_in_order_with_labels_and_passages():
    text = (
        "The review considered the case of Jayden (NEG-C-01). "
        "Jayden, DOB 12/03/2015, lived at M1 1AE with his mother, who used jo@example.com."
    )
    findings = find_identifiers(text, case_references=["NEG-C-01"], names=["Jayden"], today=TODAY)
    assert [(f.kind, f.text) for f in findings] == [
        ("name", "Jayden"),
        ("case_reference", "NEG-C-01"),
        ("name", "Jayden"),
        ("date_of_birth", "12/03/2015"),
        ("postcode", "M1 1AE"),
        ("email", "jo@example.com"),
    ]
    assert [f.label for f in findings][:4] == [
        "a name",
        "a case reference",
        "a name",
        "a date of birth",
    ]
    assert findings[0].passage == "The review considered the case of Jayden (NEG-C-01)."
    assert findings[3].passage.startswith("Jayden, DOB 12/03/2015")
    for f in findings:
        assert text[f.start : f.end] == f.text


def test_overlapping_matches_give_one_finding_the_longer_winning():
    # A name that is also part of a longer name in the list is found once, as the longer.
    assert found("Kacey Smith attended.", names=["Smith", "Kacey Smith"]) == [
        ("name", "Kacey Smith")
    ]
    # Ten digits that make both an NHS number and an 01 phone number are the NHS number.
    digits = "0123456789"
    assert is_valid_nhs_number(digits)
    assert found(f"Recorded as {digits} on the file.") == [("nhs_number", digits)]


def test_findings_are_frozen():
    finding = find_identifiers("DOB 12/03/2015", today=TODAY)[0]
    assert isinstance(finding, Finding)
    with pytest.raises(AttributeError):
        finding.text = "x"


# --- Report-like text gives no finding ------------------------------------------------------------

REPORT_TEXT = """\
Multi-agency case audit: neglect. Ourshire Safeguarding Children Partnership.

15 cases were audited, 5 from each area. 3 cases good, 9 requires improvement, 3 inadequate.
The meeting on 20 November 2017 ratified the grades; returns due by 31 October 2017 were
received from all 3 agencies (100%). The audit ran from 1 September 2017 to 20 November 2017.

Page 4 of 33. Figures are for 2017/18 and 2016-17, against 12 cases in Q3 2016.
SCR recommendation 4.2 and recommendation 7(b) were considered; 2 of 11 actions are overdue,
0 are closed, and 4.5% of children were aged 0-5 at referral. See section 3.1.2, table 6.
Grades: good 20%, requires improvement 60%, inadequate 20%. Action A1 is due 31/03/2018.
"""


def test_report_like_text_gives_no_finding():
    assert find_identifiers(REPORT_TEXT, case_references=["NEG-C-01"], names=["Jayden"]) == []
    assert found(REPORT_TEXT) == []


# --- Properties -------------------------------------------------------------------------------

PROSE_WORDS = [
    "the",
    "child",
    "was",
    "seen",
    "by",
    "health",
    "visitor",
    "police",
    "record",
    "shows",
    "number",
    "NHS",
    "and",
    "school",
    "nurse",
    "referral",
    "family",
]


@st.composite
def valid_nhs_numbers(draw):
    while True:
        nine = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
        total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            break
    digits = nine + str(check)
    sep = draw(st.sampled_from(["", " ", "-"]))
    return f"{digits[:3]}{sep}{digits[3:6]}{sep}{digits[6:]}"


prose = st.lists(
    st.one_of(
        st.sampled_from(PROSE_WORDS),
        st.text(
            alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,.;:!?()'", max_size=8
        ),
    ),
    max_size=15,
).map(" ".join)


@given(before=prose, number=valid_nhs_numbers(), after=prose)
def test_a_valid_nhs_number_in_prose_is_always_found(before, number, after):
    text = f"{before} {number} {after}"
    findings = find_identifiers(text, today=TODAY)
    assert ("nhs_number", number) in [(f.kind, f.text) for f in findings]


MONTHS = ["January", "March", "May", "June", "September", "October", "November", "December"]
counts = st.integers(min_value=0, max_value=999)
dates = st.builds(
    lambda d, m, y: f"{d} {m} {y}",
    st.integers(1, 28),
    st.sampled_from(MONTHS),
    st.integers(2000, 2025),
)
numeric_dates = st.builds(
    lambda d, m, y: f"{d:02d}/{m:02d}/{y}",
    st.integers(1, 28),
    st.integers(1, 12),
    st.integers(2000, 2025),
)
years = st.integers(2000, 2030)

report_phrases = st.one_of(
    st.builds("{} cases were audited".format, counts),
    st.builds("{} from each area".format, counts),
    st.builds(
        "{} cases good, {} requires improvement, {} inadequate".format, counts, counts, counts
    ),
    st.builds("Page {} of {}".format, counts, counts),
    st.builds(lambda y: f"{y}/{(y + 1) % 100:02d}", years),
    st.builds("SCR recommendation {}.{}".format, st.integers(1, 20), st.integers(1, 20)),
    st.builds("The meeting on {}".format, st.one_of(dates, numeric_dates)),
    st.builds("returns due by {}".format, st.one_of(dates, numeric_dates)),
    st.builds("the audit ran from {} to {}".format, dates, dates),
    st.builds("{}% of returns were late".format, counts),
    st.builds("{} of {} actions are overdue".format, counts, counts),
    st.builds("in {} there were {} referrals".format, years, counts),
    st.builds("section {}.{}.{}".format, counts, counts, counts),
    st.sampled_from(["Ourshire Safeguarding Children Partnership", "Police", "Health"]),
)


@given(st.lists(report_phrases, min_size=1, max_size=12), st.sampled_from([". ", "; ", ", ", "\n"]))
def test_report_vocabulary_alone_gives_no_finding(phrases, joiner):
    text = joiner.join(phrases) + "."
    assert find_identifiers(text, case_references=["NEG-C-01"], names=["Jayden"], today=TODAY) == []


identifier_samples = st.sampled_from(
    [
        "943 476 5919",
        "DOB 12/03/2015",
        "born 3 May 2012",
        "M1 1AE",
        "07700 900123",
        "(0161) 496 0000",
        "jo@example.com",
        "NEG-C-01",
        "Jayden's",
    ]
)


@given(st.lists(st.one_of(identifier_samples, prose, report_phrases), max_size=12))
def test_passages_always_contain_the_matched_text(parts):
    text = " ".join(parts)
    findings = find_identifiers(text, case_references=["NEG-C-01"], names=["Jayden"], today=TODAY)
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert f.text in f.passage
        assert f.passage == passage_of(text, f.start, f.end)
    spans = [(f.start, f.end) for f in findings]
    assert spans == sorted(spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def test_passage_of_keeps_to_the_sentence_and_cuts_long_ones():
    text = "First sentence here. The child was born 3 May 2012 in Leeds. Another one follows."
    start = text.index("3 May")
    assert passage_of(text, start, start + 10) == "The child was born 3 May 2012 in Leeds."
    long = "word " * 40 + "TARGET" + " word" * 40
    start = long.index("TARGET")
    passage = passage_of(long, start, start + 6)
    assert passage.startswith("…") and passage.endswith("…")
    assert "TARGET" in passage
    assert len(passage) <= 6 + 2 * 60 + 2
