"""Agenda packs: pages mapped to agenda items; chunks never cross an item; page breaks joined."""

from __future__ import annotations

import re

import pytest
from conftest import make_pdf

from indexer.citation import cite, cite_location
from indexer.papers.chunking import MAX_WORDS, OVERLAP_WORDS, chunk_blocks
from indexer.papers.parse import parse_file
from indexer.papers.minute_items import mark_minute_items
from indexer.papers.structure import AgendaItem, Block

AGENDA = """Housing Board - Agenda
1 Apologies for absence
2 Minutes of the previous meeting (Pages 3 - 4)
3 Rough Sleeping Strategy Update (Pages 5 -
6)
4 Any other business"""

SENTENCE = "By the end of the winter the number of rough sleepers housed in the city was 48."


@pytest.fixture
def pack(tmp_path):
    filler = " ".join(f"The board heard point {n} about temporary accommodation." for n in range(40))
    pages = [
        AGENDA,
        "Members: Councillor Green (Chair), Councillor Brown.",
        "Agenda Item No. 2\nMinutes of the meeting of 4 May 2021\nResolved: That the housing report be noted.",
        "The clerk read the apologies received.",
        "Agenda Item No. 3\nRough Sleeping Strategy Update\n" + filler + "\nBy the end of the winter the number of rough sleepers housed in the",
        "city was 48. The board thanked the outreach team.",
    ]
    return parse_file(make_pdf(tmp_path / "pack.pdf", pages, footer="Page {n}"), "pack.pdf")


def test_pages_map_to_agenda_items(pack):
    items = [str(i) if i else None for i in pack.page_items]
    assert items == [None, None, "2. Minutes of the previous meeting", "2. Minutes of the previous meeting",
                     "3. Rough Sleeping Strategy Update", "3. Rough Sleeping Strategy Update"]


def test_a_sentence_split_by_the_footer_comes_out_whole(pack):
    hits = [c for c in pack.chunks if SENTENCE in " ".join(c.text.split())]
    assert hits, "the sentence broken by 'Page 5' at the page foot must be joined"
    chunk = hits[0]
    assert (chunk.pdf_page_end, chunk.item) == (6, "3. Rough Sleeping Strategy Update")
    assert pack.label(chunk.pdf_page_end) == "6"


def test_no_sentence_ends_at_a_usual_abbreviation():
    from indexer.text import sentences

    # a county and a cheque number are no sentence ends; a full stop before a capital still is
    assert sentences("Rathkeale, Co. Limerick was named. Welsh Audit Office - £342 (Ch. No. 101145) paid. Next.") == [
        "Rathkeale, Co. Limerick was named.", "Welsh Audit Office - £342 (Ch. No. 101145) paid.", "Next."]
    assert sentences("Det. Garda Declan O'Halloran and Supt. Smart spoke. Cllrs. Keary and Ryan agreed.") == [
        "Det. Garda Declan O'Halloran and Supt. Smart spoke.", "Cllrs. Keary and Ryan agreed."]
    # a payments list printed without full stops: each entry ends with its cheque number
    assert sentences("Village Tree - £180 (Ch. No. 101144) Welsh Audit Office - £342 (Ch. No. 101145) Clerk's "
                     "Salary - £309.25") == ["Village Tree - £180 (Ch. No. 101144)",
                                             "Welsh Audit Office - £342 (Ch. No. 101145)", "Clerk's Salary - £309.25"]
    # a list's own numbers do not end an entry
    assert sentences("The aims were: 1) Provide more data 2) Create a centre") == [
        "The aims were: 1) Provide more data 2) Create a centre"]


def test_chunks_never_cross_an_item(pack):
    for chunk in pack.chunks:
        pages = range(chunk.pdf_page, chunk.pdf_page_end + 1)
        assert len({str(pack.page_items[p - 1]) for p in pages}) == 1, chunk
    minutes = [c for c in pack.chunks if c.item and c.item.startswith("2.")]
    assert minutes and all("rough sleepers" not in c.text for c in minutes)


def test_chunks_cover_the_text_within_the_size_bounds():
    words = [f"w{n}" for n in range(1200)]
    sentences = [" ".join(words[i:i + 12]) + "." for i in range(0, 1200, 12)]
    blocks = [Block(" ".join(sentences[i:i + 5]), 1 + i // 20, 1 + i // 20, None, None)
              for i in range(0, len(sentences), 5)]
    chunks = chunk_blocks(blocks)
    seen = set()
    for chunk in chunks:
        size = len(chunk.text.split())
        assert 0 < size <= MAX_WORDS + OVERLAP_WORDS * 2
        assert chunk.pdf_page <= chunk.pdf_page_end
        seen.update(re.findall(r"w\d+", chunk.text))
    assert seen == set(re.sub(r"\.$", "", w) for w in words)
    assert sum(len(c.text.split()) for c in chunks[:-1]) / max(1, len(chunks) - 1) >= 120


def test_minutes_number_their_items():
    lines = ["84. Apologies", "(Item 1)", "Apologies were received from Mrs C Bell.",
             "85. Declarations of Interest", "(Item 2)", "No declarations were received.",
             "86. Minutes of the Meeting held on 9th January 2025", "(Item 3)",
             "RESOLVED that the minutes were a correct record."]
    blocks = [Block(text, 1, 1, None, None, is_heading=text[:2].isdigit()) for text in lines]
    marked = mark_minute_items(blocks, is_minutes=True)
    items = {b.text: str(b.item) for b in marked}
    assert items["RESOLVED that the minutes were a correct record."] == \
        "86. Minutes of the Meeting held on 9th January 2025 (item 3)"
    assert not any(b.text.startswith("(Item") for b in marked)


def test_minutes_in_roman_sections_number_their_items_within_each_section():
    lines = ["I. CALL TO ORDER", "The President called the meeting to order at 6:30 p.m.",
             "II. CONSENT CALENDAR", "1. Approval of Minutes", "2. Approval of Warrants", "3. Treasurer's Report",
             "President Smith moved to approve the consent calendar.",
             "III. DISCUSSION AND ACTION ITEMS: NEW BUSINESS",
             "1. Discussion on the water supply for the month of November",
             "The superintendent summarised the report.",
             "2. Discussion and possible action on the selection of a Board President. Staff gave an overview.",
             "Director Jones moved to appoint Director Marx as Board President.",
             "4. Discussion and possible action on FOWD Policy No. 5070: Investment of Surplus Funds",
             "Director Jones moved to approve the policy.",
             "IV. ADJOURNMENT", "The meeting was adjourned at 8:10 p.m.", "9. Not an item of the minutes"]
    blocks = [Block(text, 1, 1, None, None, is_heading=text[:3].isupper()) for text in lines]
    items = {b.text: str(b.item) for b in mark_minute_items(blocks, is_minutes=True)}
    # after a list of titles with nothing between them, the motion is the section's (a consent calendar)
    assert items["President Smith moved to approve the consent calendar."] == "II. CONSENT CALENDAR"
    assert items["2. Approval of Warrants"] == "II.2. Approval of Warrants"
    assert items["Director Jones moved to appoint Director Marx as Board President."] == \
        "III.2. Discussion and possible action on the selection of a Board President"
    # a number may be missing; 'No. 5070' does not end the title
    assert items["Director Jones moved to approve the policy."] == \
        "III.4. Discussion and possible action on FOWD Policy No. 5070: Investment of Surplus Funds"
    assert items["The President called the meeting to order at 6:30 p.m."] == "I. CALL TO ORDER"
    # numbering far out of step is text, not an item
    assert items["9. Not an item of the minutes"] == "IV. ADJOURNMENT"
    # two sections are not enough to read a document as sectioned
    two = [Block(text, 1, 1, None, None) for text in lines[:7]]
    assert not any(b.item for b in mark_minute_items(two, is_minutes=True))


def test_a_roman_section_title_may_hold_a_full_stop_and_carry_its_number_onto_the_next_line():
    lines = ["I. CALL TO ORDER – 6:30 p.m.", "The President called the meeting to order.",
             "II. PUBLIC HEARING ON PROPOSED WATER RATES", "Staff presented the proposed rates.",
             "III. BOARD DISCUSSION AND POSSIBLE ACTION ON FOWD RESOLUTION NO.",
             "22-02: A RESOLUTION ESTABLISHING 2023, 2024 & 2025 WATER RATES",
             "Director Sarkovich moved to adopt Resolution No. 22-02.",
             "IV. CLOSED SESSION PURSUANT TO GOVERNMENT CODE SECTION 54954.5",
             "V. REPORT FROM CLOSED SESSION.", "No reportable action was taken.",
             "VI. The meeting closed. Members left at 9 pm.", "Nothing else was heard."]
    blocks = [Block(text, 1, 1, None, None, is_heading=text[:3].isupper()) for text in lines]
    items = {b.text: str(b.item) for b in mark_minute_items(blocks, is_minutes=True)}
    assert items["Director Sarkovich moved to adopt Resolution No. 22-02."] == \
        "III. BOARD DISCUSSION AND POSSIBLE ACTION ON FOWD RESOLUTION NO. 22-02: A RESOLUTION ESTABLISHING " \
        "2023, 2024 & 2025 WATER RATES"
    # the line the title goes on onto is the heading's, not text of the item
    assert "22-02: A RESOLUTION ESTABLISHING 2023, 2024 & 2025 WATER RATES" not in items
    assert items["The President called the meeting to order."] == "I. CALL TO ORDER – 6:30 p.m."
    assert items["No reportable action was taken."] == "V. REPORT FROM CLOSED SESSION"
    # a numbered sentence is no section title
    assert items["Nothing else was heard."] == "V. REPORT FROM CLOSED SESSION"


def test_a_minute_title_not_laid_out_as_a_heading_is_found_by_its_item_reference():
    lines = ["Sufficiency Strategy 2022-2027", "(Item 10)", "1. The Head of Commissioning introduced the strategy.",
             "4. RESOLVED to endorse the Sufficiency Strategy 2022-2027.",
             "Kent CIC in the statutory school years with an EHCP - Access to Education", "(Item 11)",
             "1. The Headteacher introduced the report.",
             "3. RESOLVED that the Panel note the work of the Virtual School.",
             "e) Agree the Capital budget changes.", "f) Note the Reserves and Prudential Indicators Monitoring",
             "12. Work programme", "(Item 12)", "RESOLVED that the work programme was noted."]
    blocks = [Block(text, 1, 1, None, None, is_heading=text in ("Sufficiency Strategy 2022-2027", "12. Work programme"))
              for text in lines]
    items = {b.text: str(b.item) for b in mark_minute_items(blocks, is_minutes=True)}
    assert items["3. RESOLVED that the Panel note the work of the Virtual School."] == \
        "11. Kent CIC in the statutory school years with an EHCP - Access to Education"
    assert items["4. RESOLVED to endorse the Sufficiency Strategy 2022-2027."] == "10. Sufficiency Strategy 2022-2027"
    # a list entry before a numbered title is not part of that title
    assert items["f) Note the Reserves and Prudential Indicators Monitoring"].startswith("11.")
    assert items["RESOLVED that the work programme was noted."] == "12. Work programme (item 12)"


def test_agenda_item_str():
    assert str(AgendaItem("9", "Homeless Services Provision", 17, 24)) == "9. Homeless Services Provision"
    assert str(AgendaItem("9", "")) == "Item 9"



def test_a_short_section_at_the_end_is_kept_whole():
    body = " ".join(f"Sentence {n} of the report." for n in range(26))  # about 130 words
    blocks = [Block(body, 1, 1, None, None), Block("Next Steps", 1, 1, None, "Next Steps", is_heading=True),
              Block("The board will review the plan in March.", 1, 1, None, "Next Steps")]
    chunks = chunk_blocks(blocks)
    section = [c for c in chunks if "Next Steps" in c.text]
    assert len(section) == 1 and "Next Steps\nThe board will review the plan in March." in section[0].text
    assert sum(c.text.count("Next Steps") for c in chunks) == 1  # in one passage, with its heading


def test_the_same_resolution_under_two_items_is_two_decisions():
    from indexer.papers.decisions import extract_decisions
    from indexer.papers.metadata import DocumentMeta

    meta = DocumentMeta("Cabinet", "2024-03-01", "minutes", "Cabinet minutes")
    first, second = AgendaItem("3", "Minutes of the Housing Panel"), AgendaItem("4", "Minutes of the Audit Panel")
    same = "RESOLVED that the minutes be approved as a correct record."
    blocks = [Block(same, 1, 1, first, None), Block(same, 2, 2, second, None),
              Block(same, 2, 2, second, None)]  # printed twice under one item: one decision
    decisions = extract_decisions(blocks, meta)
    assert [(d.item, d.pdf_page) for d in decisions] == [(str(first), 1), (str(second), 2)]


CODED_MINUTES = """San Juan Unified School District
Board of Education Minutes
June 11, 2024

Open Session/Call to Order (A)
The June 11 regular meeting was called to order by the president, Pam Costa.

Closed Session (B)
The board convened in closed session to consider student expulsions in three cases.

# Employee Organizations (E-3)
Damon Smith, president of the teachers' union, spoke about the tentative agreement.

# Closed Session/Expulsion Actions (E-5)
Mr. Avey reported that the board voted unanimously to expel the student in case number S-37, but to hold the
expulsion in abeyance.

**Proposed Revisions to Board Policy 5132 Dress and Grooming and Retirement of Board Policy 5132.4 School Uniforms (I-7)**
Staff presented the revisions. It was moved by Ms. Villesca, seconded by Mr. Perez, that the revisions be approved.

Adjournment (L)
The meeting was adjourned at 9:12 p.m.
"""


def test_minutes_whose_headings_end_in_agenda_codes_take_the_codes_as_item_numbers(tmp_path):
    path = tmp_path / "board" / "2024-06-11" / "minutes.md"
    path.parent.mkdir(parents=True)
    path.write_text(CODED_MINUTES, encoding="utf-8")
    doc = parse_file(path, "board/2024-06-11/minutes.md")
    said = ("case number S-37", "revisions be approved", "adjourned at 9:12")
    item_of = {sentence: str(chunk.item) for chunk in doc.chunks for sentence in said if sentence in chunk.text}
    assert item_of["case number S-37"] == "E-5. Closed Session/Expulsion Actions"
    assert item_of["revisions be approved"].startswith("I-7. Proposed Revisions to Board Policy 5132")   # a long title
    assert item_of["adjourned at 9:12"] == "L. Adjournment"                 # a letter alone, once the codes are seen


def test_a_name_followed_by_a_letter_is_no_agenda_code():
    # Irish minutes tell councillors apart by an initial: 'Sheahan (J)'; two numbered codes are not enough either
    lines = ["Councillor Sheahan (J)", "Councillor Sheahan proposed the motion.", "Councillor Collins (M)",
             "Councillor Collins seconded it.", "Budget Report (E-1)", "The report was noted.", "Votes For (F-2)"]
    blocks = [Block(text, 1, 1, None, None, is_heading=not text.endswith(".")) for text in lines]
    assert not any(b.item for b in mark_minute_items(blocks, is_minutes=True))


TITLED_MINUTES = """Minutes of a meeting of the above Council held on Monday 3rd June 2024 at 7.00pm in the Village Hall.

Present:  Cllrs Ash, Birch & Cedar and the Clerk.

512.    To receive apologies for absence: Cllr Elm.

513.    To receive & approve minutes of previous meeting: Approved & signed as correct.

514.    Discuss Allotments Policy:  Draft drawn up and circulated to Councillors.  Councillors
proposed this policy be adopted.  It was agreed that from 1st July 2024 plots will be let under the policy.

516.    Consider request from the Bowls Club for a contribution towards mowing the
green.  It was agreed to pay £90 per annum.

517.    Correspondence:  None.

18. A numbered line far out of the series is text of the minute above."""


def test_minutes_numbered_in_a_running_series_with_titles_are_items(tmp_path):
    path = tmp_path / "council" / "minutes" / "20240603.txt"
    path.parent.mkdir(parents=True)
    path.write_text(TITLED_MINUTES, encoding="utf-8")
    doc = parse_file(path, "council/minutes/20240603.txt")
    said = ("plots will be let", "£90 per annum", "Correspondence", "far out of the series", "Cllrs Ash")
    item_of = {sentence: chunk.item for chunk in doc.chunks for sentence in said if sentence in chunk.text}
    assert item_of["plots will be let"] == "514. Discuss Allotments Policy"
    # one number missing from the series; a minute with no colon is titled by its first sentence
    assert item_of["£90 per annum"] == "516. Consider request from the Bowls Club for a contribution towards mowing the green"
    assert item_of["far out of the series"] == "517. Correspondence"
    assert item_of["Cllrs Ash"] is None   # what comes before the first minute is no minute's
    assert [d.item for d in doc.decisions if "£90" in d.text] == [
        "516. Consider request from the Bowls Club for a contribution towards mowing the green"]
    # the text file's section is the item: a citation names it once
    chunk = next(c for c in doc.chunks if "plots will be let" in c.text)
    location = cite_location(chunk.pdf_page, chunk.pdf_page_end, doc.cited_label(chunk), doc.unit)
    assert location == 'section "514. Discuss Allotments Policy"'
    assert cite("Minutes", None, None, chunk.item, location) == "Minutes, item 514. Discuss Allotments Policy"


TWO_MEETINGS = """Minutes of the Annual Meeting held on Monday 16th May 2022 at 7.00pm.

805.Apologies for absence:  None.

806.Election of Chairman:  Cllr Ash was elected.

807.Election of Vice-Chairman:  Cllr Birch was elected.

Minutes of the ordinary meeting which followed.

3290.Police Report:  Attached. No Police presence.

3292.Apologies for absence:  Cllr Elm.

3271.Public Session:  No one present.

3293.Declarations of interest:  None.

3294.Approval of minutes:  Approved and signed as correct.

3295.Community Asset Transfer:  Councillors discussed the Hall.  Cllrs agreed to pursue getting the Hall
declared an asset of community value."""


def test_a_file_of_two_meetings_each_numbered_in_its_own_series(tmp_path):
    path = tmp_path / "council" / "minutes" / "20220516.txt"
    path.parent.mkdir(parents=True)
    path.write_text(TWO_MEETINGS, encoding="utf-8")
    doc = parse_file(path, "council/minutes/20220516.txt")
    items = sorted({chunk.item for chunk in doc.chunks if chunk.item})
    # no space after a minute's number; the minutes before the ordinary meeting's run, one number a slip
    assert items == ["3271. Public Session", "3290. Police Report", "3292. Apologies for absence",
                     "3293. Declarations of interest", "3294. Approval of minutes", "3295. Community Asset Transfer",
                     "805. Apologies for absence", "806. Election of Chairman", "807. Election of Vice-Chairman"]
    # 'Cllrs agreed to ...' records the decision
    assert [d.item for d in doc.decisions if "asset of community value" in d.text] == [
        "3295. Community Asset Transfer"]


def test_numbered_paragraphs_without_titles_are_no_items():
    # a board's numbered paragraphs ('16. The membership refresh will ...') are text under its headings
    lines = ["KPIs and Risk Register", "16. The membership refresh will take place in the next couple of weeks.",
             "17. Current members will have to re apply: the call opens soon.",
             "18. The Group noted the KPIs and Risk Register.", "19. Members asked for a new risk on funding."]
    blocks = [Block(text, 1, 1, None, None, is_heading=n == 0) for n, text in enumerate(lines)]
    assert not any(b.item for b in mark_minute_items(blocks, is_minutes=True))


SERIES_AGENDA = """3144.Police Report
3145.Apologies for absence
3146. Public Forum
3152.Financial Report
3153.Accounts for payment:-
Merlin Waste
Clerk's Salary & Expenses
3154.   Planning Permissions:-
DM/2021/01416 - Old Station - Installation of 2 shower/toilet blocks
DM/2021/01421 - Old Station - Solar Panels to roofs of existing railway carriages
DN/2020/00311 - Certificate of lawful use or dev't, Land opposite Old Park Cottage
3155.   Updates:-
Tintern Ambassador Scheme
Wireworks Bridge
3156.Reports from outside bodies:-
Lower Wye Valley Building Preservation Trust
3157.Correspondence"""


def test_an_agendas_entries_numbered_in_a_running_series_are_its_items(tmp_path):
    path = tmp_path / "council" / "agenda" / "20210927.txt"
    path.parent.mkdir(parents=True)
    path.write_text(SERIES_AGENDA, encoding="utf-8")
    doc = parse_file(path, "council/agenda/20210927.txt", overrides={"doc_type": "agenda"})
    item_of = {said: chunk.item for chunk in doc.chunks
               for said in ("Solar Panels", "Wireworks Bridge", "Merlin Waste", "Police Report") if said in chunk.text}
    # each application is read under its own entry, not run on into the next ('... Old Park Cottage 3155. Updates')
    assert item_of["Solar Panels"] == "3154. Planning Permissions"
    assert item_of["Wireworks Bridge"] == "3155. Updates"
    assert item_of["Merlin Waste"] == "3153. Accounts for payment"
    assert item_of["Police Report"] is None   # untitled entries before the titled run are no item
    assert not any("Old Park Cottage 3155" in " ".join(chunk.text.split()) for chunk in doc.chunks)


def test_an_agendas_numbered_contents_are_no_items():
    # an agenda's short numbered list ('1. Minutes', '2. Disposal of Land') may be a contents list: no items
    lines = ["Agenda", "1. Minutes", "To adopt Minutes of the previous meeting.", "2. Disposal of Land",
             "To consider the disposal of land at Kildimo.", "3. Corporate Services", "To note the report."]
    blocks = [Block(text, 1, 1, None, None, is_heading=text[:1].isdigit()) for text in lines]
    assert not any(b.item for b in mark_minute_items(blocks, is_minutes=False, is_agenda=True))


def test_a_year_opening_a_line_goes_on_with_the_sentence_before_it(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Section 17 of the Crime and Disorder Act\n1998. The Act places a duty on all statutory partners"
                    " to consider community safety.\nDelegates will serve from April 1, 2026 to March 31,\n2028. The"
                    " next meeting is in May.", encoding="utf-8")
    texts = [" ".join(chunk.text.split()) for chunk in parse_file(path, "report.txt").chunks]
    assert any("Crime and Disorder Act 1998. The Act places" in text for text in texts)
    assert any("March 31, 2028. The next meeting" in text for text in texts)


def test_an_item_that_is_its_title_alone_keeps_its_passage():
    # '6. Guest Speaker: Nicola Upson, Author' is all an agenda says of the item: its words are not dropped
    items = [AgendaItem("5", "Election of Board Members"), AgendaItem("6", "Guest Speaker"), AgendaItem("7", "Awards")]
    blocks = [Block("5. Election of Board Members", 1, 1, items[0], None, is_heading=True),
              Block("Two members were elected to the Board.", 1, 1, items[0], None),
              Block("6. Guest Speaker: Nicola Upson, Author", 1, 1, items[1], None, is_heading=True),
              Block("7. Awards", 1, 1, items[2], None, is_heading=True),
              Block("Awards for outstanding volunteers.", 1, 1, items[2], None)]
    chunks = chunk_blocks(blocks)
    assert [c.item for c in chunks] == ["5. Election of Board Members", "6. Guest Speaker", "7. Awards"]
    assert "Nicola Upson" in chunks[1].text


LETTERED_MINUTES = """LOS RIOS COMMUNITY COLLEGE DISTRICT
Board Meeting Minutes
Wednesday, February 8, 2023

1. CALL TO ORDER
The board meeting was called to order by President Knight at 5:30 p.m.

2. CONSENT CONSIDERATIONS
A motion was made by Trustee Haynes, seconded by Trustee Ortiz, that the Board of Trustees approve
Consent Consideration items A and B.
Motion carried; 7:0

      A.      Board Meeting Minutes: January 11, 2023

That the Board of Trustees approve the minutes of the meeting held on January 11, 2023.

      B.      Curriculum Proposals: American River, Cosumnes River, Folsom Lake and
              Sacramento City Colleges

That the Board of Trustees approve the curriculum proposals listed in the agenda packet.

3. ACTION

      A.      Contract Award: Annual Marketing Campaign

A motion was made by Trustee Haynes, seconded by Trustee Johnson, that the Board of Trustees award
the contract for RFP 23007 to 3fold Communications, LLC.
Motion carried; 7:0

      C.      Sacramento City College Affordable Student Housing Grant Application

A motion was made by Trustee Ortiz, seconded by Trustee Jones, that the Board of Trustees authorize the
\f
Chancellor to submit the grant application for student housing.
Motion carried; 7:0

4. CLOSED SESSION

   A. Conference with Labor Negotiators (Government Code Section 54957.6). Agency
      designated representatives: Chancellor Brian King.

5. ADJOURNMENT
The meeting was adjourned at 8:10 p.m.
"""


def test_entries_lettered_under_a_numbered_minute_are_items_of_their_own(tmp_path):
    path = tmp_path / "district" / "20230208-bot-minutes.txt"
    path.parent.mkdir(parents=True)
    path.write_text(LETTERED_MINUTES, encoding="utf-8")
    doc = parse_file(path, "district/20230208-bot-minutes.txt")
    said = ("items A and B", "held on January 11", "curriculum proposals listed", "3fold", "grant application",
            "Agency designated", "adjourned")
    item_of = {sentence: chunk.item for chunk in doc.chunks for sentence in said if sentence in chunk.text}
    assert item_of["items A and B"] == "2. CONSENT CONSIDERATIONS"   # the motion before the entries is the minute's
    assert item_of["held on January 11"] == "2.A. Board Meeting Minutes: January 11, 2023"
    # a title wrapped over two lines is one title, and what follows it is not
    assert item_of["curriculum proposals listed"] == \
        "2.B. Curriculum Proposals: American River, Cosumnes River, Folsom Lake and Sacramento City Colleges"
    # one letter may be missing from the run; the next minute letters its entries from A again
    assert item_of["3fold"] == "3.A. Contract Award: Annual Marketing Campaign"
    assert item_of["grant application"] == "3.C. Sacramento City College Affordable Student Housing Grant Application"
    # a lettered paragraph of sentences is no entry
    assert item_of["Agency designated"] == "4. CLOSED SESSION"
    assert item_of["adjourned"] == "5. ADJOURNMENT"
    motions = {d.item: d.text for d in doc.decisions}
    assert "3fold Communications" in motions["3.A. Contract Award: Annual Marketing Campaign"]
    # a motion stopped at 'the' by the page's end goes on onto the next page
    assert "authorize the Chancellor to submit" in \
        motions["3.C. Sacramento City College Affordable Student Housing Grant Application"]
