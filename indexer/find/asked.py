"""What kind of answer a question asks for, and whether a candidate answer is of that kind.

"How many ...?", "How much ...?", "What share ...?", "What did it cost?" ask for an amount: an answer without
a number in it is not one. "When will ...?", "At what time ...?" ask for a time: an answer without a date,
month, year, season or clock time is not one.
An answer must add what the question asks for to what the question says: asked how many incidents were
recorded "since July", a sentence whose only figure is "1st July" says no amount, and asked when works
would start "as reported in November 2020", one dated only November 2020 says no time.
"When the board met in May, did it ...?" opens with a clause and asks something else, so it asks for
neither. Other questions ask for no kind this can check. "Did the panel endorse ...?" asks whether
something happened, and is answered by the outcome minuted after the discussion. Asked about an office
("Who was elected president?"), an answer naming only its deputy ("... as Vice President") answers
another question. "Who ...?" asks for someone: a person named with a title or as a name is ("Cllr Mann",
"Colin Rockall (Lavenham)"), an office or role ("the Clerk"), or an organisation ("George Reed, Inc.",
"awarded to Zurich"), besides those the question names and the body whose paper it is.
"""

from __future__ import annotations

import re

from ..papers.metadata import MONTH_NAME, find_date

AMOUNT, TIME, PERSON = "amount", "time", "person"

# A clause naming when or where may come first: 'At the January 2018 meeting on the exit, how much ...?'
_LEAD = r"^\s*(?:(?:in|at|on|during|according to|from|for|under|after|before|by|within|following)\b[^,]{0,200},\s*)?"
_AMOUNT_QUESTION = re.compile(
    _LEAD + r"(?:how (?:many|much|long|often|far)|by how (?:much|many)|at what (?:price|cost|rate|level)"
    r"|what (?:percentage|proportion|share|amount|sum|figure|number|price|cost|rate|total|level|value)\b"
    r"|what (?:did|does|do|will|would) [^?]{0,80}\bcost\b|what (?:is|was|are|were) [^?]{0,80}\bworth\b)", re.I)
_TIME_QUESTION = re.compile(
    _LEAD + r"(?:when|by when|since when|until when|from when|(?:on|from|by|since|until|in) (?:what|which) "
    r"(?:date|day|month|year|time)|(?:at )?what (?:date|day|month|year|times?|deadlines?|timescales?|timetable))\b[^,]*$",
    re.I | re.S)
_NUMBER = re.compile(
    r"\d|[£$€%]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|half|third|quarter|dozen|per ?cent|double"
    r"|doubled|treble|none|no one)\b", re.I)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"   # capitalised: "may" is a verb too
_TIME = re.compile(
    r"\b(?:19|20)\d{2}\b|\b" + _MONTH + r"\b|\b[Qq][1-4]\b"
    r"|(?i:\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|winter"
    r"|next (?:week|month|year|meeting)|this (?:week|month|year)|today|tomorrow|yesterday|noon|midday)\b)"
    r"|\b\d{1,2}:\d{2}\b|\b\d{1,2}(?:[:.]\d{2})?\s*(?i:[ap]\.?m\b\.?|hrs\b)")
# Numbers that only say when or where in the papers: a date, a time, a year, a paragraph's or minute's number
# ('5.2 Update', '13/16 Village Hall'), a reference to an item, paragraph, appendix or page ('Item 7').
_NOT_AMOUNTS = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+\d{4})?"
    r"|\b" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?|\b(?:19|20)\d{2}(?:[/-]\d{2,4})?\b"
    r"|\b\d{1,2}:\d{2}(?:\s*(?i:[ap]\.?m\.?))?|\b\d{1,2}(?:\.\d{2})?\s*(?i:[ap]\.m\.|[ap]m)\b"
    r"|^\s*(?:\(?\d{1,3}[.)]|\d{1,2}(?:\.\d{1,2})+|\d{1,3}/\d{2})\s*(?=[A-Z])"
    r"|\b(?i:items?|minutes?|paragraphs?|paras?|sections?|appendix|annex|clauses?|pages?|no\.|ref\.?)\s*\d[\d.]*"
    r"(?:[a-z]\b)?")


# 'Who ...?', also after a clause ('After the first nomination failed, who was elected?')
_PERSON_QUESTION = re.compile(r"^\s*(?:[^,?]{0,200},\s*)?(?:who|whom|whose)\b", re.I)
_NAME = r"(?:[A-Z]\.?\s+)*[A-Z][\w'’-]+"   # 'Bartlett', 'P Bartlett', 'J. R. Smith'
_TWO = r"[A-Z][a-z'’-]+\s+[A-Z][a-z'’-]+"   # 'Tony Brown'
_NOT_SOMEONE = r"(?!(?i:" + MONTH_NAME + r")\b|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)"   # 'to March 2025'
# Someone named: with a title ('Ms. Costa', 'Cllr Trudy Mann'), as a name with where they are from or what
# they are ('Colin Rockall (Lavenham)', 'Chris Petersen - President'), after a role or lead-in ('Chair – Tony
# Brown', 'Action: Janet Hughes to ...'), in a list of names ('Sarah Hamilton, Lesley Game'), as the one
# something is given to or done by ('awarded to Lee Gardner', 'chaired by Involve'), or an organisation by
# its kind ('Reed, Inc.').
_SOMEONE = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Mx|Dr|Cllrs?|Prof|Rev|Revd|Fr|Sr|Supt|Sgt)\.?|Miss|Councillors?|Professor|Sir|Dame|Lord"
    r"|Lady|Reverend|Father|Sister|Canon|Trustee|Directors?|Alderman|Mayor|President|Chair|Chairman|Senator|Deputy"
    r"|Superintendent|Inspector|Sergeant|Garda|Judge|Commissioner|Minister)\s+" + _NAME +
    r"|\b[A-Z][\w'’-]+(?:\s+" + _NAME + r")+\s*(?:\(|[-–]\s+[A-Z])"
    r"|[-–:]\s+" + _TWO + r"|\b" + _TWO + r"(?:,\s+|\s+and\s+)" + _TWO +
    r"|\b(?:by|to|from|with)\s+(?:the\s+)?" + _NOT_SOMEONE + _NAME + r"(?:\s+" + _NAME + r")*"
    r"|\b(?:[A-Z][\w&'’.-]*,?\s+){1,5}(?:Inc|Ltd|Limited|plc|PLC|LLP|LLC|Co|Company|Corporation|Council|Group|Trust"
    r"|Association|Partnership|Society|Foundation|Network|University|College|Agency|Authority|Industries)\b")
# or by office or role ('the Clerk', 'the Director of Housing', 'a contractor'), or a body ('the county council')
_ROLE = re.compile(
    r"\b(?:chair(?:man|woman|person)?|vice[- ]?(?:chair\w*|president)|mayor|clerk|treasurer|secretary|director"
    r"|manager|officer|head of|leader|councillor|cllr|trustee|president|chancellor|superintendent|chief executive"
    r"|solicitor|auditor|contractor|consultant|governor|commissioner|minister|inspector|engineer|planner|accountant"
    r"|speaker|representative|counsel|deputy|cathaoirleach|comhairleoir|council|committee|company|firm"
    r"|partnership|insurer|supplier|provider|team)s?\b", re.I)


def asked_for(question: str) -> str | None:
    """AMOUNT, TIME, PERSON, or None when the question asks for no kind of answer this can check."""
    if _AMOUNT_QUESTION.search(question):
        return AMOUNT
    if _TIME_QUESTION.search(question.strip()):
        return TIME
    if _PERSON_QUESTION.search(question):
        return PERSON
    return None


def fits(kind: str | None, text: str, question: str = "", known: str = "") -> bool:
    """Whether the text could answer a question asking for that kind (any text fits no kind): it holds
    an amount, or a time, besides those the question itself names; or someone besides those the question
    and `known` (the body whose paper it is) name."""
    if kind == AMOUNT:   # a date or time alone is no amount ('Date: 16th November 2010')
        return _beyond(_NUMBER, _NOT_AMOUNTS.sub(" ", text), question)
    if kind == TIME:
        dated = find_date(text)   # a day of a month the question names ('24 March 2015' asked 'in March 2015')
        return _beyond(_TIME, text, question) or bool(dated and dated != find_date(question))
    if kind == PERSON:
        said = _stems(f"{question} {known}")
        return any(not _stems(_NEW_NAME.split(match.group())[-1]) <= said
                   for pattern in (_SOMEONE, _ROLE) for match in pattern.finditer(text))
    return True


# 'The' inside a run of capitalised words starts a new name: in '13/16 Village Hall Sign Base The Parish Council
# had received two quotes' the item's title runs into the sentence, and the one named is the Parish Council.
_NEW_NAME = re.compile(r"\s+The\s+")
_TRIVIAL = {"by", "to", "from", "with", "the", "of", "and", "inc", "ltd", "co"}


def _stems(text: str) -> set[str]:
    """The words of a text that name someone, lower case, a plural's or possessive's 's' off ('Directors' and
    "Director's" are 'director')."""
    words = {re.sub(r"['’]s$", "", word.lower().strip(".,()'’-")).removesuffix("s") for word in text.split()}
    return {word for word in words if word and word not in _TRIVIAL}


def _beyond(pattern: re.Pattern, text: str, question: str) -> bool:
    """Whether the text holds a match of the pattern that the question does not (a figure or month
    repeated from the question says nothing new); a match inside a longer figure counts whole."""
    named = ({_spelled(m) for m in _FIGURE.finditer(question)}
             | {m.group().lower() for m in pattern.finditer(question) if not m.group()[0].isdigit()})
    for match in pattern.finditer(text):
        whole = _FIGURE.match(text, _figure_start(text, match.start()))
        said = _spelled(whole) if whole and whole.end() >= match.end() else match.group().lower()
        if said not in named:
            return True
    return False


_FIGURE = re.compile(r"[£$€]?\d[\d,.]*\d%?|[£$€]?\d%?")


def _figure_start(text: str, at: int) -> int:
    """Where the figure around position `at` starts (a digit's run back over digits, commas and points)."""
    while at > 0 and (text[at - 1].isdigit() or text[at - 1] in ",.£$€"):
        at -= 1
    return at


def _spelled(match: re.Match) -> str:
    return match.group().lower().strip(".,").replace(",", "")


# 'Did ...', 'Has ...', also after a clause naming when or where ('In July 2018, did ...').
_WHETHER = re.compile(r"^\s*(?:(?:in|at|by|on|during)\b[^,]{0,80},\s*)?"
                      r"(?:did|does|do|has|have|had|was|were|is|are|will|would)\s", re.I)


def asks_whether(question: str) -> bool:
    """Whether the question asks if something happened ('Did the panel endorse ...?', 'In May, has the
    board ...?'): what answers it is the outcome, which minutes record after the discussion."""
    return bool(_WHETHER.search(question))


_LESSER = r"(?:vice|deputy|assistant|acting)[\s-]+"


def lesser_role(question: str, text: str) -> bool:
    """Whether the text names only the deputy of an office the question asks about: asked who was elected
    president, 'elect X as Vice President' names another office (chair and vice-chair, mayor and deputy
    mayor). An office the question itself names as a deputy's is no mismatch."""
    asked = question.lower()
    for office in {word.lower() for word in re.findall(rf"\b{_LESSER}([a-z]+)", text, re.I)}:
        if not re.search(rf"\b{office}\b", asked) or re.search(rf"\b{_LESSER}{office}\b", asked):
            continue
        if len(re.findall(rf"\b{_LESSER}{office}\b", text, re.I)) == len(re.findall(rf"\b{office}\b", text, re.I)):
            return True
    return False


# Why the meeting was held, as minutes open a special meeting: 'The Mayor stated that the Special Meeting was being
# held to discuss ...', '... the Special Meeting which he had convened to pass a Vote of Sympathy', 'the purpose of
# the Meeting was to ...'.
_CONVENED = re.compile(r"\bmeeting\b(?:\s+(?!(?:be|to|will|would|should|shall|must)\b)\w+){0,4}?\s+"
                       r"(?:was\s+being|was|had\s+been|being|been)?\s*(?:held|called|convened)"
                       r"\s+(?:in\s+order\s+)?to\b|\b(?:called|convened)\s+(?:the|this)\s+(?:special\s+)?meeting\s+to\b"
                       r"|\bpurpose\s+of\s+(?:the|this)\s+meeting\s+(?:was|is)\b", re.I)
_WHY = re.compile(r"\b(?:why|purpose|reason)\b", re.I)


def says_why_held(question: str, text: str) -> bool:
    """Whether the text says why the meeting was held, where the question does not ask that. Opening a
    special meeting, the chair names its subject, which is what the question is about; what was decided or
    said comes after. A unit holding such words is read as the opening, whatever else it holds."""
    return bool(_CONVENED.search(text)) and not _WHY.search(question)
