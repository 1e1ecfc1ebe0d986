"""Sentences of decision inside a minute's paragraphs, and the actions given at the meeting.

"The Board agreed ...", "It was agreed that ...", "the policy was adopted", "Action: WM to ...",
"Clerk to chase ...", and the outcome written at the end of the line it settles ("... – all
approved."). A sentence that only reports is left out: what was agreed earlier or elsewhere, what a
meeting is asked to do, recommendations, reported speech. A short paragraph is kept whole as the
decision's text; in a long one, the sentence (with the one before it when it points back: "This was
agreed.").
"""

from __future__ import annotations

import re

from ..text import ends_sentence
from . import outcomes
from .outcomes import Decision
from .structure import Block

_BODY = (r"(?:board|committee|council|cabinet|panel|group|meeting|members?|directors?|trustees?|partnership"
         r"|councillors|cllrs|governors|membership|forum|executive|(?-i:[A-Z]{2,5}))")
# who decide, opening a sentence: 'Councillors present agreed ...'
_MEMBERS = r"(?:councillors|cllrs|members|council|committee|board|panel|cabinet|trustees|governors)(?:\s+present)?"
_ADVERB = r"(?:(?:also|then|further|unanimously|formally|duly|therefore|subsequently|finally|now)\s+)"
_DECIDES = re.compile(
    rf"\bit was\s+{_ADVERB}?(?:agreed|decided|resolved|approved)\b"
    rf"|^(?:also\s+)?agreed\b"
    rf"|^{_MEMBERS}\s+"
    rf"{_ADVERB}?(?:agreed\s+(?:to|on|the|a|an)|approved|resolved|decided|accepted|adopted|endorsed|ratified)\b"
    # 'Councillors agreed that a notice be put up' (not 'Members agreed that it would be a shame': an opinion)
    rf"|^{_MEMBERS}\s+"
    rf"{_ADVERB}?agreed\s+that\s+(?!(?:it|this|there)\s)(?:\S+\s+){{1,12}}?"
    r"(?:(?<!would\s)(?<!could\s)(?<!might\s)(?<!will\s)(?<!to\s)be|should|shall)\s"
    rf"|\b(?:the|all)\s+(?:\w+\s+){{0,2}}?{_BODY}\s+(?:\w+\s+(?:and\s+)?)?{_ADVERB}?"
    rf"(?:agreed|approved|accepted|adopted|endorsed|ratified|decided|resolved|were in (?:full )?agreement"
    rf"|was in agreement|noted the|voted)\b"
    rf"|(?<!I )\b(?:was|were)\s+{_ADVERB}?(?:\w+,?\s+){{0,3}}?(?:agreed|approved|accepted|adopted|endorsed|ratified"
    rf"|carried(?! out)|elected|appointed|deferred|voted in|suspended)\b"
    # a sentence saying only that it passed: 'This was passed unanimously.', 'The motion was then passed.'; not
    # 'passed to the Clerk', 'passed by the legislature' or '... if this motion was passed.'
    rf"|^(?:\w+\s+){{1,3}}?(?:was|were)\s+{_ADVERB}?passed(?:\s+unanimously|\s+by\s+(?:a\s+)?majority)?[.;]?\s*$"
    rf"|\b(?:was|were)\s+noted\s+by\s+(?:the\s+)?(?:members|council|board|committee|panel|cabinet|meeting)\b"
    rf"|\bdeclared\b.{{0,80}}?\b(?:elected|appointed|carried|adopted|passed)\b"
    # 'It was proposed by Councillor X, seconded by Councillor Y and unanimously agreed that ...'
    rf"|\b(?:was|were)\s+(?:proposed|moved)\s+by\b.{{0,200}}?\band\s+{_ADVERB}?(?:agreed|carried|approved|resolved)\b"
    rf"|\b(?:have|has) no objections?\b|\bdo not have any objections?\b"
    rf"|^this item was (?:deferred|withdrawn)\b",
    re.I,
)
_DIRECTS = re.compile(r"\bthe\s+(?:board|committee|council|cabinet|panel|meeting)\s+(?:directed|instructed)\s+"
                      r"(?:the\s+)?[\w ]{2,40}?\s+to\b", re.I)
_ACTION = re.compile(r"^actions?\s*(?:by\s+\w+\s*)?[:–-]\s*\S", re.I)
_NOT_VERB = {"the", "a", "an", "this", "that", "their", "his", "her", "its", "our", "all", "be", "date", "and", "of"}
_OWNER_WORD = r"(?:[A-Z][\w.'’-]*|&|and|/|members?|officers?|staff|clerk)"
_GIVEN = re.compile(
    rf"^(?:also\s+)?(?:the\s+)?({_OWNER_WORD}(?:\s*{_OWNER_WORD}){{0,5}}?)\s+"
    rf"(?:(?:was|were|is|are)\s+(?:also\s+)?(?:asked|advised|instructed|requested)\s+|asked\s+)?to\s+([a-z]+)\b")
# Who can be given an action: initials ('WM', 'MoJ'), an office, or a person named with a title.
_ROLE = re.compile(r"^(?:clerk|chair(?:man|person)?|secretary|treasurer|officers?|staff|members?|cllrs?|councillors?|"
                   r"mayor|director|manager|head|leader|mr|mrs|ms|dr|panel|board|all)$", re.I)
# 'Clerk chase up the ROSPA report.': an office and a verb in its plain form is an instruction.
_OFFICE_DOES = re.compile(r"^(?:the\s+)?(?:clerk|secretary)\s+(?!(?:and|or|of|had|has|is|was|will|would|to)\b)"
                          r"(?-i:[a-z]+)(?<!ed)(?<!s)\b(?!\s+that\b)", re.I)
_OFFICER_ASKED = re.compile(r"\b(?:the\s+)?(?:clerk|secretary|officers?|staff|chief executive|\w+ manager)\s+"
                            r"(?:was|were)\s+(?:also\s+)?(?:asked|advised|instructed|requested)\s+to\s+[a-z]", re.I)
_REPORTED = re.compile(
    r"\b(?:had|has|have)\s+(?:been\s+|already\s+|previously\s+|also\s+)*"
    r"(?:agreed|approved|accepted|adopted|endorsed|decided|deferred|resolved|ratified)\b"
    r"|\b(?:agreed|approved|accepted|adopted|endorsed|decided|ratified)\s+(?:at|by)\s+(?:the\s+)?"
    r"(?!(?:the\s+)?(?:board|meeting|council|panel|committee|members|councillors|cllrs|directors|trustees|governors)\b)"
    r"(?-i:[A-Z]\w+|\d{4})"
    r"|\b(?:confirmed|explained|said|stated|advised|reported|informed|mentioned|highlighted|understood|replied|responded|added"
    r"|commented|suggested|felt)\s+(?:\w+\s+){0,3}?that\b"
    r"|\b(?:must|should|shall|may|might|can|could|to)\s+be\s+(?:\w+\s+)?(?:agreed|approved|adopted|decided|endorsed|accepted)\b"
    r"|\b(?:agreed|approved|adopted|decided|endorsed|accepted|resolved|deferred|appointed|elected)\b"
    r"(?:\s+(?!that\b)[\w,]+){0,8}?\s+(?:in|on|at|since)\s+(?:the\s+)?(?:last\b|previous\b|earlier\b|(?:19|20)\d\d\b)"
    # a month or day is when it was decided ('approved in March'), unless it is when what was decided is to
    # happen ('agreed to hold the next meeting on 5 May', 'decided to use the April meeting as an EGM')
    r"|\b(?:agreed|approved|adopted|decided|endorsed|accepted|resolved|deferred)\b"
    r"(?!\s+to\s+(?!(?:the|a|an|this|these|that|those|its|their|his|her|our|all|any|each)\b)(?-i:[a-z]+)\b)"
    r"(?:\s+(?!that\b)[\w,]+){0,8}?\s+(?:in|on|at|since)\s+"
    r"(?:the\s+)?(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z])"
    r"|\b(?:not|never)\s+(?:\w+\s+)?(?:agreed|approved|carried|accepted|elected|appointed|adopted)\b|\b(?:motion|amendment)\s+(?:was\s+)?lost\b"
    r"|\brecommend(?:s|ed|ing)?\b|\b(?:is|are|was|were|be)\s+asked\s+to\s+(?:note|agree|approve|consider|endorse|comment)"
    r"|\bwill be (?:asked|agreed|approved|considered)\b|\bit was (?!(?:\w+ )?(?:agreed|decided|resolved|approved))\w+ that\b"
    r"|\?$",
    re.I,
)
MINUTE_TITLE = re.compile(r"^(\d{1,4})\.\s*([^:.]{3,100}?)\s*[:–-]\s+")
_SETTLED = re.compile(r"\b(?:all\s+)?(?:approved|noted|agreed|refused|accepted)\.?$", re.I)
_ANAPHOR = re.compile(r"^(?:this|that|these|those|they|it was also|also|the appointment|the policy|the report)\b", re.I)
_PLAIN_RUN = 60   # a paragraph this short is kept whole as the decision's text


def decides(sentence: str) -> bool:
    """Whether a sentence of a minute records what the meeting decided ('Cllrs agreed to pursue ...'), not what
    was reported, asked for or recommended."""
    sentence = _unmarked(sentence)
    return bool(_DECIDES.search(sentence) and not _REPORTED.search(sentence))


def sentence_decisions(block: Block, item: str | None, date: str | None) -> list[Decision]:
    text = block.text
    title = MINUTE_TITLE.match(text)
    body_start = title.end() if title else 0
    spans = _sentence_spans(text, body_start)
    found: list[tuple[int, int, str, bool]] = []   # (start, end, outcome, is_action)
    settled = _settled_line(text[body_start:], bool(title)) if spans else None
    if settled is not None and (len(text.split()) <= _PLAIN_RUN * 2 or title):
        whole = " ".join(text.split())
        return [Decision(whole, item, date, block.pdf_page, outcomes.outcome_of(settled))]
    if len(text.split()) <= 20 and not ends_sentence(text.rstrip()):
        return []   # a heading or a line of a table, not a sentence of decision
    for start, end in spans:
        sentence = _unmarked(text[start:end])
        action = _is_action(sentence)
        if not action and not decides(sentence):
            continue
        found.append((start, end, "action" if action else outcomes.outcome_of(sentence), action))
    if not found:
        return []
    if len(text.split()) <= _PLAIN_RUN and len(spans) <= 3 and len(found) == 1 and not found[0][3]:
        start, _, outcome, _ = found[0]
        return [_sentence_record(text, text, block, block.pdf_page, item, date, outcome, False)]
    records = []
    for n, (start, end, outcome, action) in enumerate(found):
        sentence = text[start:end]
        span_index = next(k for k, s in enumerate(spans) if s[0] == start)
        if span_index > 0 and (_ANAPHOR.match(_unmarked(sentence)) or len(sentence.split()) <= 6):
            start = spans[span_index - 1][0]
        records.append(_sentence_record(text[start:end], sentence, block, block.page_at(start), item, date,
                                        outcome, action))
    return records


def _sentence_record(text: str, sentence: str, block: Block, page: int, item: str | None, date: str | None,
                     outcome: str, action: bool) -> Decision:
    text = " ".join(text.split())
    return Decision(text, item, date, page, outcome, 0, outcomes.vote_of(text), outcomes.moved_by(text),
                    outcomes.seconded_by(text), outcomes.owner_of(_unmarked(sentence)) if action else None)


def _sentence_spans(text: str, start: int) -> list[tuple[int, int]]:
    spans, begin = [], start
    # a new sentence begins with a capital, a number, a bullet or a list marker ('b)Moyross ...')
    for breaking in re.finditer(r"(?<=[.!?;])\s+(?=[A-Z0-9•(\"'‘“]|(?:[a-z]|[ivx]{1,4})\))", text[start:]):
        end = start + breaking.start()
        if not re.search(r"\b(?:No|Nos|Ch|Cllr|Cllrs|Mr|Mrs|Ms|Dr|St|Co|Inc|Ltd|approx|e\.g|i\.e|a\.m|p\.m)\.$",
                         text[begin:end]):
            spans.append((begin, end))
            begin = start + breaking.end()
    if begin < len(text):
        spans.append((begin, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _unmarked(sentence: str) -> str:
    """A sentence without its list marker or paragraph number ('a) ', '• ', '2.1 ')."""
    return re.sub(r"^(?:\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,4})[.)]?\)?\s+|\(?(?:[a-z]|[ivx]{1,4})\)"
                  r"|[•▪◦●\-–*]\s*)", "", sentence.strip())


def _is_action(sentence: str) -> bool:
    if _ACTION.match(sentence):
        return True
    if _DIRECTS.search(sentence) and not _REPORTED.search(sentence):
        return True
    if _OFFICER_ASKED.search(sentence) or _OFFICE_DOES.match(sentence):
        return True
    given = _GIVEN.match(sentence)
    return bool(given and given.group(2) not in _NOT_VERB and _can_act(given.group(1)) and len(sentence.split()) <= 60)


def _can_act(owner: str) -> bool:
    words = [w for w in re.split(r"[\s/&]+|\band\b", owner) if w]
    if any(_ROLE.match(w) for w in words):
        return True
    return all(re.fullmatch(r"[A-Z][A-Za-z]{0,4}", w) and sum(c.isupper() for c in w) >= 2 for w in words)  # initials


def _settled_line(text: str, titled: bool) -> str | None:
    """The outcome written at the end of the line it settles: '... – all approved.', or after the minute's
    title: 'Approval of minutes: Approved & signed as correct'."""
    text = text.strip()
    heading_outcome = re.match(r"^(?:all\s+)?(approved|agreed|noted|accepted|deferred|re-?\s?agenda\w*)\b[^.]{0,60}\.?",
                               text, re.I)
    if titled and heading_outcome and not _REPORTED.search(heading_outcome.group(0)):
        return heading_outcome.group(0)
    last = re.split(r"(?<=[.!?])\s+", text)[-1]
    if _SETTLED.search(last) and not _REPORTED.search(last) and not _DECIDES.search(last):
        return last
    return None
