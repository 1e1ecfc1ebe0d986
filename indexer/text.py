"""Plain-text helpers shared by the stages: the one sentence splitter and the one stop-word list."""

from __future__ import annotations

import re

# A sentence ends at . ! ? or ; followed by space and something that can start one, but not at the
# full stop of a title, an initial or a usual abbreviation ('Mr. Reale', 'J. Smith', 'No. 22-02',
# 'Rathkeale, Co. Limerick', '£342 (Ch. No. 101145)').
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Cllr", "Cllrs", "Cr", "Prof", "Rev", "Fr", "Sr", "Jr", "Messrs", "Supt",
                  "Sgt", "Insp", "Det", "Gov", "Dept", "St", "Co", "Ch", "Ref", "No", "Nos", "vs", "approx", "para",
                  "e.g", "i.e", "[A-Z]")
_SENTENCE_BREAK = re.compile("".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS)
                             + r"(?<=[.!?;])\s+(?=[A-Z0-9•(\"'‘“])"
                             # and after a reference number in brackets that ends an entry of a list printed without
                             # full stops: 'Welsh Audit Office - £342 (Ch. No. 101145) Village Hall - £75 (Ch. ...'
                             + r"|(?<=\d{3}\))\s+(?=[A-Z])")
# A list entry starts a line with a bullet, a dash, or a short number or letter: "(a) ", "2. ", "iv) ".
_LIST_ENTRY = r"(?:[•\-–]|\(?[a-z0-9]{1,3}[.)]\s)"
_LINE_BREAK_IN_SENTENCE = re.compile(rf"(?<![.!?:;])\n(?!{_LIST_ENTRY})")
_LIST_BREAK = re.compile(rf"\n(?={_LIST_ENTRY})")

STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
ours out over own same she should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom whose why will with would
you your yours tell show give find many much know anything something
""".split())


def sentences(text: str, *, lines: bool = False) -> list[str]:
    """The sentences of text, in order, stripped. With lines=True the text is read as printed lines:
    a line break inside a sentence is a space, and each list entry on its own line is a sentence."""
    if lines:
        text = _LINE_BREAK_IN_SENTENCE.sub(" ", text)
        pieces = [p for part in _LIST_BREAK.split(text) for p in _SENTENCE_BREAK.split(part)]
    else:
        pieces = _SENTENCE_BREAK.split(text)
    return [p.strip() for p in pieces if p.strip()]


_ENDS_SENTENCE = re.compile(r"[.!?:;]['\"’”)]?$")


def ends_sentence(text: str) -> bool:
    """Whether text ends as a sentence or a lead-in does (a closing quote or bracket allowed)."""
    return bool(_ENDS_SENTENCE.search(text))
