"""What a question says about where to look: a body, a month, a document type.

"What did Cabinet resolve in March 2025?" names a body the index holds and a month. Only names the
index holds are understood (its bodies and document types), so a word that happens to be a body's
name elsewhere is not. The focus steers ranking softly: the passages inside it count once more in
the fusion, and nothing outside it is dropped, so a wrong guess never empties a result.

A month the question's subject runs from, to or for ("a pay rise from April 2014", "the accounts for the
year to March 2015", "the fete planned for September 2021") is not the meeting's: the papers deciding it
are dated earlier. The month read is the first other one ("payroll for May 2022, as reported in the June
2022 packet": June 2022).

A year named alone is not read: measured on the development questions it cost more than it gave,
since a year in a question names a budget, a season or the year a decision applies to ("who will
chair in 2026") as often as the year of the meeting.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from ..papers.metadata import MONTH_NAME, MONTH_YEAR, UNTYPED, long_month, named_month, named_months
from ..records import Filters

# A body's name is cut into its parts ('Kent County Council - Cabinet'); a part made only of these
# words names no body in particular.
_GENERIC = {"council", "councils", "committee", "board", "meeting", "meetings", "minutes", "the", "of", "and", "full",
            "county", "city", "town", "parish", "district", "borough", "community", "public", "agenda"}
_JOINING = {"of", "and", "for", "the", "&"}   # words a name may be written with or without


@dataclass(frozen=True)
class Focus:
    bodies: tuple[str, ...] = ()     # bodies of the index the question names
    month: str | None = None         # '2025-03'
    doc_types: tuple[str, ...] = ()  # document types of the index the question names

    def __bool__(self) -> bool:
        return bool(self.bodies or self.month or self.doc_types)

    def filters(self) -> Filters:
        """The focus as filters, to pick out the passages inside it."""
        if self.month:
            year, month = (int(part) for part in self.month.split("-"))
            start, end = f"{self.month}-01", f"{self.month}-{calendar.monthrange(year, month)[1]:02d}"
        else:
            start = end = None
        return Filters(body=self.bodies, doc_type=self.doc_types, date_from=start, date_to=end)

    def holds(self, body: str | None, meeting_date: str | None, doc_type: str | None, text: str = "") -> bool:
        """Whether a passage or decision of this body, date and document type is inside the focus; a
        passage whose text names the month asked about ('the Management Accounts for February 2014',
        minuted in March) holds the month whatever its meeting's date."""
        f = self.filters()
        return ((not f.body or any(b.casefold() in (body or "").casefold() for b in f.body))
                and (not f.doc_type or (doc_type or "").lower() in f.doc_type)
                and (not f.date_from or f.date_from <= (meeting_date or "") <= (f.date_to or "9999")
                     or names_month(text, self.month)))

    def describe(self) -> str:
        """'Cabinet, March 2025, minutes': what the app says it is looking at first."""
        when = [long_month(self.month)] if self.month else []
        named: dict[str, str] = {}   # a body written two ways ('Home & Social', 'Home and Social') once
        for body in map(_short_body, self.bodies):
            named.setdefault(_plain(body), body)
        return ", ".join([*named.values(), *when, *self.doc_types])


def read_focus(question: str, bodies: list[str], doc_types: list[str]) -> Focus:
    """The bodies, month and document types that question names, of those the index holds."""
    words = _words(question)
    named = {body: _named_length(body, question) for body in bodies}
    longest = max(named.values(), default=0)
    # the words that may name a meeting before its paper: those of the bodies named, and initials ('the TCC agenda')
    naming = frozenset(w for body, n in named.items() if n for w in _words(body).split()) \
        | frozenset(w.lower() for w in re.findall(r"\b[A-Z]{2,6}\b", question))
    # 'the other nomination' names no paper: untyped papers are those of no type a person would name
    types = tuple(t for t in doc_types if t != UNTYPED
                  and _names_type(t, words.replace(" agenda item", " item"), naming))
    return Focus(tuple(b for b, n in named.items() if n and n == longest), asked_month(question), types)


_DAY_MONTH_YEAR = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?" + MONTH_YEAR   # the months named_month reads, a day before
# 'from April 2014', 'to 31 March 2015', 'for March 2024 and March 2025'; not 'to the March 2025 meeting'
_SUBJECT_TIME = re.compile(r"\b(?:from|for|to|until|till|effective|starting|beginning|ending)\s+" + _DAY_MONTH_YEAR
                           + r"(?:\s*(?:and|or|to|-|–)\s*" + _DAY_MONTH_YEAR + r")*", re.I)


def asked_month(question: str) -> str | None:
    """The month ('2025-03') of the meeting the question asks about: the first month and year it names
    other than one its subject runs from, to or for; None if it names no other."""
    return named_month(_SUBJECT_TIME.sub(" ", question))


def names_month(text: str, month: str | None) -> bool:
    """Whether the text writes out that month ('2014-02': 'February 2014', 'Feb 2014')."""
    return bool(month) and month in named_months(text)


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.casefold().replace("’", "'"))) + " "


def _named_length(body: str, question: str) -> int:
    """How many words of the body's name the question names (0: none), the joining ones left out: each part
    of the name ('Kent County Council', 'Cabinet') written out as a phrase or shortened (_shortened_span),
    summed over the parts, so that 'Kent County Council's Cabinet' names its Cabinet before its other
    committees; or, for a body known by its initials, the words spelling them out."""
    words = f" {_plain(question)} "
    total = 0
    for part in _parts(body):
        plain = _plain(part)
        if any(w not in _GENERIC for w in plain.split()) and (f" {plain} " in words or _shortened_span(part, question)):
            total += len(plain.split())
    return max(total, _spelled_out(body, question))


def _parts(body: str) -> list[str]:
    """The parts of a body's name ('Kent County Council - Cabinet': 'Kent County Council', 'Cabinet')."""
    return re.split(r"\s+[-–|/]\s+", body)


def _plain(text: str) -> str:
    """Its words in lower case, the joining ones left out ('Home & Social' and 'Home and Social' alike)."""
    return " ".join(w for w in _words(text).split() if w not in _JOINING)


_ACRONYM = re.compile(r"[A-Z]{3,6}")
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*")


def _spelled_out(body: str, question: str) -> int:
    """A body known by its initials ('FOWD') named in full or by its first three words or more ('Fair Oaks
    Water District', 'San Juan Unified' for 'SJUSD'): how many words name it (0: none)."""
    span = _spelled_out_span(body, question)
    return span[2] if span else 0


def _spelled_out_span(body: str, question: str) -> tuple[int, int, int] | None:
    """Where the question spells out a body known by its initials: (start, end) in characters and how many
    words name it; the longest such span, or None."""
    if not _ACRONYM.fullmatch(body):
        return None
    words = list(re.finditer(r"[\w'’&-]+", question))
    best = None
    for start in range(len(words)):
        initials, used, end = "", 0, start
        for at in range(start, len(words)):
            later = words[at].group()
            if _CAPITALISED.fullmatch(later) and body.startswith(initials + later[0]):
                initials, used, end = initials + later[0], used + 1, at
            elif not (initials and later.lower() in _JOINING):
                break
        if len(initials) >= 3 and (best is None or used > best[2]):
            best = (words[start].start(), words[end].end(), used)
    return best


def _shortened_span(part: str, question: str) -> tuple[int, int] | None:
    """Where the question names a part of a body's name in short (_short_forms): (start, end) in characters,
    or None."""
    found = next(filter(None, (form.search(question) for form in _short_forms(part))), None)
    return (found.start(), found.end()) if found else None


@lru_cache(maxsize=1024)
def _short_forms(part: str) -> tuple[re.Pattern, ...]:
    """The ways a question may name a part of a body's name in short: by its first words and the initials
    of the rest ('Home and Social Development SPC' for the Home and Social Development Strategic Policy
    Committee), or by the initials alone in capitals ('JPC' for the Joint Policing Committee). The
    written-out words must hold one naming no body in particular ('Tintern CC', not 'County CC'), and the
    initials (the joining words left out) run to two letters after them or three alone. Made once a part."""
    names = re.findall(r"[\w'’]+", part)
    forms = []
    for written in range(len(names) - 1):
        head = [w for w in names[:written] if w.lower() not in _JOINING]
        initials = "".join(w[0] for w in names[written:] if w.lower() not in _JOINING).upper()
        if len(initials) < (2 if head else 3) or head and all(w.lower() in _GENERIC for w in head):
            continue
        spoken = "".join(rf"(?i:{re.escape(w)})\W+(?:(?i:and|of|for|the|&)\W+)*" for w in head)
        forms.append(re.compile(rf"(?<![\w'’]){spoken}{initials}(?!\w)"))   # 'TCC's' names it too
    return tuple(forms)


def names_as_asked(question: str, bodies: list[str]) -> dict[str, tuple[str, str]]:
    """The bodies the question names otherwise than the index does, each with the part of its name so named
    and the question's words for it: spelled out where the index holds initials ('FOWD': 'Fair Oaks Water
    District'), in its first words and the initials of the rest where it holds the words ('Home and Social
    Development Strategic Policy Committee': 'Home and Social Development SPC')."""
    named = {}
    for body in bodies:
        span = _spelled_out_span(body, question)
        if span:
            named[body] = (body, question[span[0]:span[1]])
            continue
        for part in _parts(body):
            short = _shortened_span(part, question)
            if short and " " in (words := question[short[0]:short[1]]):
                named[body] = (part, words)   # initials alone ('ODUG', 'KCC') are how papers write the name too
    return named


def as_indexed(question: str, bodies: list[str]) -> str:
    """The question with a body it names otherwise than the index written as the index names it ('Did the
    Fair Oaks Water District board ...' -> 'Did the FOWD board ...'; '... Home and Social Development SPC'
    -> '... Home and Social Development Strategic Policy Committee'), for keyword search: passages are read
    with the body's name as the index holds it, and the question's words would favour only those that
    happen to write it so."""
    for part, words in names_as_asked(question, bodies).values():
        question = question.replace(words, part, 1)
    return question


# A document type is named as a document right after one of these ('in the minutes', 'which reports'),
# or after a possessive that follows a preposition ('in its minutes'); after anything else it is more
# likely the subject ('the draft budget', 'adopt its budget', 'the annual report's figures').
_BEFORE_DOCUMENT = r"(?:the|a|an|in|which|what|this|that|these|those|(?:in|from|within|according to) (?:its|their|our))"


def _names_type(doc_type: str, words: str, naming: frozenset[str] = frozenset()) -> bool:
    """'minutes' in 'in the minutes of ...'; 'report' also as 'reports'; not 'budget' in 'the draft budget'.
    A meeting's own paper is also named after its meeting's body and date ('on its May 2018 agenda', 'the
    TCC agenda', 'Tintern Community Council's January 2018 agenda'): `naming` holds the words that may."""
    phrase = _words(doc_type).strip()
    forms = {phrase, phrase + "s", phrase.rstrip("s")} if phrase else set()
    if any(re.search(rf" {_BEFORE_DOCUMENT} {re.escape(form)} ", words) for form in forms):
        return True
    return phrase in _MEETING_PAPERS and any(_named_meeting_paper(words, at.start(), naming)
                                            for form in forms for at in re.finditer(rf" {re.escape(form)} ", words))


# The papers of one meeting: a question names them by their meeting ('the Cabinet's March 2025 minutes'),
# and, unlike a report or a budget, they are seldom the subject asked about.
_MEETING_PAPERS = {"agenda", "minutes"}
_OPENING = {"the", "a", "an", "its", "their", "our", "this", "that", "which", "what", "whose"}
_MEETING_WORDS = {"board", "meeting", "council", "committee", "panel", "group", "s"}   # 's': a possessive
_DATE_WORD = re.compile(rf"\d{{1,4}}(?:st|nd|rd|th)?|{MONTH_NAME}")   # '13th', '2025', 'march', 'sept'


def _named_meeting_paper(words: str, at: int, naming: frozenset[str]) -> bool:
    """Whether the words before position `at` name a meeting: its body's words, its date or 'board',
    reaching back to an article or a possessive ('its May 2018', "the council's", 'the TCC')."""
    before = words[:at].split()
    run = 0
    while run < len(before) and (before[-1 - run] in naming or before[-1 - run] in _MEETING_WORDS
                                 or _DATE_WORD.fullmatch(before[-1 - run])):
        run += 1
    if not run:
        return False
    opened = run < len(before) and before[-1 - run] in _OPENING
    return opened or "s" in before[len(before) - run:]


def _short_body(body: str) -> str:
    """The last part of a body's name, the one a person says ('Cabinet' of 'Kent County Council - Cabinet')."""
    return re.split(r"\s+[-–|/]\s+", body)[-1]
