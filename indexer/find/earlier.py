"""Questions about what came before, and whether an answer looks back.

"Had the council already approved ...?", "Before the March 2025 plan, when had Cabinet adopted ...?", "Has the
board previously ...?" ask about a time before the meeting whose papers are found. Those papers usually
answer in a sentence that looks back from their own meeting: "as previously approved by the board",
"adopted by the Council in July 2016" (in minutes of 2025), "despite requests since April 2012". The
meeting's own resolution, which names the subject in the question's words, answers another question:
what was decided then. A question naming no month or year ("Has the board previously agreed ...?") has
no time to look back from: the earlier meeting's own record answers it as well as any.
"""

from __future__ import annotations

import re

from ..papers.metadata import MONTH_NAME, month_number, named_month

# 'Before the ..., had ...', 'Had ... already ...', 'Has ... ever ...', 'Has ... done so before?', and asked in the
# past perfect when it was done ('When adopting the 2015 scheme, when had the council first set it up?')
_EARLIER_QUESTION = re.compile(
    r"^\s*before\b|\b(?:previously|already|ever|earlier|originally|beforehand|in the past|back in|over the years"
    r"|used to|the year before)\b|^\s*(?:has|had|have)\b[^?]*\bbefore\b|\bwhen\s+had\b", re.I)
# words by which a sentence refers to an earlier time
_LOOKING_BACK = re.compile(
    r"\b(?:previously|already|earlier|ago|originally|formerly|hitherto|last year|back in|in the past|since"
    r"|long-?standing|historically|prior to)\b", re.I)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# the year in a law's name is no time looked back to ('in accordance with the Local Government Act, 2001')
_LAW = re.compile(r"\b(?:Act|Acts|Regulations|Order|Rules|Code)\b,?\s+(?:of\s+)?(?:19|20)\d\d\b")
# '28 March 2024', 'March 28, 2024', 'July 2016', '2015', '2023/24' (a financial year counts as its later year)
_WHEN = re.compile(
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?(?:\b" + MONTH_NAME + r"\.?,?\s+)?(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?"
    r"\b((?:19|20)\d\d)(?:\s*[/-]\s*(\d{2}(?!\d)|(?:19|20)\d\d))?\b", re.I)


def asks_earlier(question: str) -> bool:
    """Whether the question asks about something before the meeting its answer is found in."""
    return bool(_EARLIER_QUESTION.search(question))


def asked_before(question: str) -> str | None:
    """The month ('2025-03') or year ('2018') the question asks about the time before; None if it names neither."""
    month = named_month(question)
    if month:
        return month
    year = _YEAR.search(question)
    return year.group(1) if year else None


def answers_before(text: str, held: str | None, before: str) -> bool:
    """Whether a sentence of a meeting held on `held` tells of a time before `before` (asked_before): the
    meeting itself was earlier, or the sentence looks back from it."""
    return bool(held and held[:len(before)] < before) or looks_back(text, held)


def looks_back(text: str, held: str | None) -> bool:
    """Whether the text refers to a time before `held` (its meeting's ISO date): in words ('previously',
    'already', 'ago'), or by a year, month or day before the meeting's. Without a date, by words only."""
    if _LOOKING_BACK.search(text):
        return True
    if not held:
        return False
    meeting = tuple(int(part) for part in held.split("-")[:3])
    return any(_before(_named_when(match), meeting) for match in _WHEN.finditer(_LAW.sub(" ", text)))


def _named_when(match: re.Match) -> tuple[int, int, int]:
    """(year, month, day) of a date, month or year, 0 where not named; a financial year '2023/24' is (2024, 0, 0)."""
    year = int(match.group(4))
    if match.group(5):
        later = match.group(5)
        return (int(later) if len(later) == 4 else year // 100 * 100 + int(later), 0, 0)
    month = month_number(match.group(2)) if match.group(2) else 0
    day = match.group(1) or match.group(3)
    return (year, month, int(day) if day and month else 0)


def _before(named: tuple[int, int, int], meeting: tuple[int, ...]) -> bool:
    """Whether a named year, month or day is wholly before the meeting's day."""
    for part, of_meeting in zip(named, meeting):
        if not part or part > of_meeting:
            return False
        if part < of_meeting:
            return True
    return False
