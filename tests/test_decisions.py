"""Decisions as data: the shapes minutes record them in, each format, the records, and the register's measure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REALDATA, REPO, make_pdf, needs_realdata

from indexer.papers.outcomes import moved_by, outcome_of, owner_of, seconded_by, vote_of
from indexer.papers.parse import parse_file
from indexer.readers import Conversions
from indexer.readers.office import program

GOLD = REPO.parent / "shared" / "eval" / "dev_decisions.jsonl"

# Minutes of a made-up parish council, one decision of each shape, and what must be left out.
MINUTES = [
    "Ashby Parish Council\nMinutes of the meeting held on 12 January 2026\n"
    "101. Approval of minutes of previous meeting: Approved and signed as correct.\n"
    "102. Accounts for payment: Village Hall hire - £40, Clerk salary - £300 - all approved.\n"
    "103. Allotments\nThe Council is asked to approve the allotment rents for 2026.\n"
    "Cllr Moss proposed, and Cllr Hale seconded, that the allotment rents rise by 5%.\n"
    "Agreed unanimously.\n"
    "104. Play area\nThe Finance Committee had agreed the play area budget in December.\n"
    "It was agreed that the play area fence would be repaired before Easter.\n"
    "Clerk to order two new swings from the approved supplier.\n"
    "Action: JW to circulate the inspection report to all councillors.\n"
    "105. Highways\nRESOLVED that the Council:\n"
    "a) notes the highways report;\n"
    "b) asks the Clerk to write to the county council about the potholes on Mill Lane;",
    "c) agrees to fund a speed survey on the High Street at a cost of up to £500.\n"
    "106. Motion on street lighting\nCllr Reed moved that the street lights be switched off at midnight. "
    "Cllr Hale seconded the motion. Motion lost.\n"
    "107. Date of next meeting: 9 February 2026.",
]


def _by_text(decisions, words: str):
    found = [d for d in decisions if words in d.text]
    assert found, f"no decision holds {words!r}: {[d.text for d in decisions]}"
    return found[0]


def _check_shapes(decisions, paged: bool) -> None:
    assert _by_text(decisions, "Approved and signed as correct").outcome == "approved"
    assert _by_text(decisions, "all approved").outcome == "approved"
    rents = _by_text(decisions, "allotment rents rise by 5%")
    assert "Agreed unanimously" in rents.text and rents.moved_by == "Cllr Moss" and rents.seconded_by == "Cllr Hale"
    assert rents.vote.unanimous and rents.vote.result == "carried"
    assert _by_text(decisions, "fence would be repaired").outcome == "agreed"
    swings = _by_text(decisions, "Clerk to order two new swings")
    assert (swings.outcome, swings.owner) == ("action", "Clerk")
    circulate = _by_text(decisions, "JW to circulate")
    assert (circulate.outcome, circulate.owner) == ("action", "JW")
    parts = [d for d in decisions if d.item and d.item.startswith("105")]
    assert [p.part for p in parts] == [0, 1, 2]
    assert parts[0].text.startswith("RESOLVED that the Council: a) notes the highways report")
    assert parts[0].outcome == "noted" and parts[2].outcome == "agreed"
    if paged:   # the last part runs onto the next page and is cited there
        assert [p.pdf_page for p in parts] == [1, 1, 2]
    texts = " ".join(d.text for d in decisions)
    assert "is asked to approve" not in texts           # a recommendation
    assert "had agreed the play area budget" not in texts  # an earlier decision of another body
    assert "street lights" not in texts                  # a lost motion


def test_each_shape_of_decision_in_pdf_minutes(tmp_path):
    path = make_pdf(tmp_path / "ashby-minutes-2026-01-12.pdf", MINUTES)
    decisions = parse_file(path, path.name).decisions
    _check_shapes(decisions, paged=True)
    assert {d.meeting_date for d in decisions} == {"2026-01-12"}
    assert _by_text(decisions, "all approved").item == "102. Accounts for payment"


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_each_shape_of_decision_in_text_minutes(tmp_path, suffix):
    path = tmp_path / f"ashby-minutes-2026-01-12{suffix}"
    path.write_text("\f".join(MINUTES), encoding="utf-8")
    _check_shapes(parse_file(path, path.name).decisions, paged=True)


def test_each_shape_of_decision_in_html_minutes(tmp_path):
    paragraphs = "".join(f"<p>{line}</p>" for page in MINUTES for line in page.splitlines())
    path = tmp_path / "ashby-minutes-2026-01-12.html"
    path.write_text(f"<html><body>{paragraphs}</body></html>", encoding="utf-8")
    _check_shapes(parse_file(path, path.name).decisions, paged=False)


@pytest.mark.skipif(program() is None, reason="LibreOffice is not installed (make office)")
def test_each_shape_of_decision_in_word_minutes(tmp_path):
    lines = [f"<p>{line}</p>" for line in MINUTES[0].splitlines()]
    lines += [f"<p{' style=page-break-before:always' if n == 0 else ''}>{line}</p>"
              for n, line in enumerate(MINUTES[1].splitlines())]
    source = tmp_path / "ashby-minutes-2026-01-12.html"
    source.write_text(f"<html><body>{''.join(lines)}</body></html>")
    subprocess.run([program(), "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path),
                    str(source)], check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    source.unlink()
    path = tmp_path / "ashby-minutes-2026-01-12.docx"
    _check_shapes(parse_file(path, path.name, conversions=Conversions(tmp_path / "converted")).decisions, paged=True)


def test_a_us_motion_block_and_an_irish_proposal():
    from indexer.papers.decisions import extract_decisions
    from indexer.papers.metadata import DocumentMeta
    from indexer.papers.structure import Block

    meta = DocumentMeta("Water District", "2025-10-20", "minutes", "Board minutes")
    lines = ["President Gray moved to approve the consent calendar as presented.",
             "Director Lee seconded the motion.",
             "Motion carried with the following votes: Gray - aye, Lee - aye, Marx - no.",
             "On the proposal of Councillor Ryan, seconded by Councillor Keane, it was agreed that this item would be "
             "deferred to the next Meeting."]
    decisions = extract_decisions([Block(t, 2, 2, None, None) for t in lines], meta)
    motion, deferral = decisions
    assert motion.text.startswith("President Gray moved") and "Motion carried" in motion.text
    assert (motion.moved_by, motion.seconded_by) == ("President Gray", "Director Lee")
    assert motion.vote.result == "carried" and motion.vote.names == {"for": ["Gray", "Lee"], "against": ["Marx"]}
    assert (deferral.moved_by, deferral.seconded_by) == ("Councillor Ryan", "Councillor Keane")
    assert deferral.outcome == "deferred"


def test_a_proposal_seconded_and_agreed_in_one_sentence():
    from indexer.papers.decisions import extract_decisions
    from indexer.papers.metadata import DocumentMeta
    from indexer.papers.structure import Block

    meta = DocumentMeta("Joint Policing Committee", "2023-06-02", "minutes", "Minutes")
    lines = ["The Chief Superintendent stated that the legislation has not progressed as far as it was hoped yet.",
             "It was proposed by Councillor Keary, seconded by the Chairman, Councillor Teskey and unanimously agreed "
             "that a letter be sent to the Minister highlighting the importance of the legislation.",
             "Councillor Ryan proposed that the matter be referred to the Council, but no seconder was found."]
    decisions = extract_decisions([Block(t, 4, 4, None, None) for t in lines], meta)
    assert [d.text[:40] for d in decisions] == ["It was proposed by Councillor Keary, sec"]
    assert decisions[0].outcome == "agreed" and decisions[0].moved_by == "Councillor Keary"


def test_a_sentence_that_opens_with_the_body_deciding_is_a_decision():
    from indexer.papers.decision_sentences import decides

    for sentence in ("Cllrs agreed to pursue getting the Hall declared an asset of community value.",
                     "Councillors agreed the sum set aside in the budget could be ring fenced.",
                     "Members unanimously approved the budget.", "The Board agreed to defer the item.",
                     "Councillors agreed that a notice be put on the benches.",
                     "Members agreed that the Clerk should write to the highways team.",
                     "It was agreed to hold the next meeting on 5 May.",
                     "It was agreed by Councillors at the meeting that the Chair may sanction the work.",
                     "The Board decided to use the Community Group meeting in April as an EGM.",
                     "This was passed unanimously.", "The motion was then passed."):
        assert decides(sentence), sentence
    for sentence in ("Members agreed that it was a concern.", "Director Page agreed to attend the forum.",
                     "Members noted the challenges of managing limited funding.",
                     "The Board had agreed to defer the item in March.",
                     "Members agreed that it would be a shame to lose the service.",
                     "Members agreed that the budget should be approved by Cabinet.",
                     "Cabinet approved the strategy in March.",
                     "He was appointed an Honorary Alderman in 2010 for his service to the Council.",
                     "Mr Spence was elected to the Council in 1997.",
                     "The minutes were passed to the Clerk.", "Proposition 55 was passed by voters in November 2016.",
                     "He asked what money could be saved if this motion was passed."):
        assert not decides(sentence), sentence


def test_in_minutes_an_item_about_minutes_is_its_own_item(tmp_path):
    """'294. Minutes of the meeting held on ...' in a minutes file is the item its resolution was taken under,
    though the heading laid out above it (a longer title that wrapped) is an earlier minute's."""
    path = make_pdf(tmp_path / "county-council-minutes-2025-03-13.pdf", [
        "Kent County Council\nMinutes of the meeting held on 13 March 2025\n"
        "292. Apologies for Absence\n(Item 1)\nApologies were received from Mr Bond.\n"
        "293. Declarations of Disclosable Pecuniary Interests or Other Significant\nInterests in items on the agenda\n"
        "(Item 2)\nThere were no declarations of interest.\n"
        "294. Minutes of the meeting held on 13 February 2025 and, if in order, to be\napproved as a correct record\n"
        "(Item 3)\nRESOLVED that the minutes of the Council meeting held on 13 February 2025 be approved as a correct record.\n"
        "295. Corporate Parenting Panel - October 2024 and December 2024 Minutes\nfor noting\n(Item 4)\n"
        "RESOLVED that the minutes of the Corporate Parenting Panel meetings held on 29 October 2024 and "
        "10 December 2024 be noted.\n"
        "296. Chairman's Announcements\n(Item 5)\nThe Chairman informed Members of the death of Mr Simkins.\n"
        "He was appointed an Honorary Alderman in 2010 for his service to the Council."])
    decisions = parse_file(path, path.name).decisions
    assert [(d.item.split(".")[0], d.outcome) for d in decisions] == [("294", "approved"), ("295", "noted")]


def test_a_list_entry_lettered_in_lower_case_begins_a_sentence():
    from indexer.papers.decisions import extract_decisions
    from indexer.papers.metadata import DocumentMeta
    from indexer.papers.structure import Block

    meta = DocumentMeta("Council", "2024-12-19", "minutes", "Special meeting minutes")
    text = ("The Cathaoirleach declared Councillor Leddin appointed Chair of the Climate Committee. "
            "b)Enterprise Centre Limited The Cathaoirleach advised that the Council was required to nominate "
            "a director. Councillor Ryan proposed Councillor Keane. Councillor Walsh proposed Councillor Daly. "
            "The meeting then went to a vote.")
    decisions = extract_decisions([Block(text, 3, 3, None, None)], meta)
    assert [d.text for d in decisions] == [
        "The Cathaoirleach declared Councillor Leddin appointed Chair of the Climate Committee."]


def test_the_minuted_vote_mover_and_owner_are_read():
    vote = vote_of("the voting was as follows. For (51) Mr Baker, Mrs Bell Against (6) Mr Cole Abstain (2) "
                   "Mr Dance, Ms Eve Motion carried.")
    assert vote.result == "carried" and vote.counts == {"for": 51, "against": 6, "abstained": 2}
    assert vote.names["for"] == ["Mr Baker", "Mrs Bell"] and vote.names["abstained"] == ["Mr Dance", "Ms Eve"]
    assert vote_of("RESOLVED that the minutes be approved.") is None
    assert vote_of("The amendment was lost.").result == "lost"
    assert moved_by("It was moved by Ms. Costa, seconded by Ms. Creason, that the minutes be approved.") == "Ms. Costa"
    assert seconded_by("It was moved by Ms. Costa, seconded by Ms. Creason, that ...") == "Ms. Creason"
    assert owner_of("Action: Upon receipt of note from Panel, SP to provide the schema.") == "SP"
    assert owner_of("The Board directed staff to post the presentation.") == "staff"
    assert outcome_of("RESOLVED that Mr P Bartlett be duly elected Vice Chair.") == "elected"
    assert outcome_of("This item was deferred to the next appropriate meeting.") == "deferred"


def test_a_roll_call_keeps_absences_apart_from_abstentions():
    vote = vote_of("It was moved by Mr. Bloise, seconded by Ms. Kravchuk, that item H-8 be approved. MOTION CARRIED "
                   "4-0-1-2 [AYES: Avey, Kravchuk, Bloise, Stanekzai; NOES: None; ABSTAIN: Perez; ABSENT: Creason, Costa].")
    assert vote.counts == {"for": 4, "against": 0, "abstained": 1, "absent": 2}
    assert vote.names == {"for": ["Avey", "Kravchuk", "Bloise", "Stanekzai"], "against": [], "abstained": ["Perez"],
                          "absent": ["Creason", "Costa"]}
    nobody = vote_of("MOTION CARRIED 5-0-0 [AYES: Villescaz, McKibbin, Creason, Costa, Hernandez; NOES: none; "
                     "ABSTAIN: None] It was moved by Ms. Costa, seconded by Dr. McKibbin, that Ms. Creason be clerk.")
    assert nobody.counts == {"for": 5, "against": 0, "abstained": 0} and nobody.names["abstained"] == []
    assert vote_of("Motion carried 3-2.").counts == {"for": 3, "against": 2}
    roll = vote_of("Director Smith - aye, Director Jones - no, Director Lee - abstained. Motion carried.")
    assert roll.names == {"for": ["Smith"], "against": ["Jones"], "abstained": ["Lee"]}
    # one way to a line, 'None' on its line, and a label that is no way of voting after it
    lines = vote_of("Roll Call Vote:\nAye: Haynes, Johnson, Jones\nNo: None\nAbsent: None\nStudent Trustee: Aye\n"
                    "Motion carried; 3:0")
    assert lines.counts == {"for": 3, "against": 0, "absent": 0} and lines.names["for"] == ["Haynes", "Johnson", "Jones"]
    marked = vote_of("Roll Call Vote: • Aye: Haynes, Knight • No: None • Absent: Ortiz • Student Trustee: Aye")
    assert marked.names == {"for": ["Haynes", "Knight"], "against": [], "absent": ["Ortiz"]}
    assert vote_of("[AYES: Villescaz, Costa; NOES: None: ABSTAIN: None].").counts == {"for": 2, "against": 0,
                                                                                       "abstained": 0}


def test_a_report_states_its_recommendations(tmp_path):
    path = make_pdf(tmp_path / "cabinet-report-2026-02-02.pdf", [
        "Report to Cabinet, 2 February 2026\nLibrary opening hours\nRecommendation(s):\nCabinet is asked to:\n"
        "a) APPROVE the new opening hours from April;\nb) NOTE the consultation results.\n"
        "1. Introduction\n1.1 The consultation ran for six weeks and 400 people replied."])
    parsed = parse_file(path, path.name)
    assert [r.text for r in parsed.recommendations] == [
        "Cabinet is asked to: a) APPROVE the new opening hours from April; b) NOTE the consultation results."]
    assert parsed.decisions == []


@needs_realdata
def test_the_register_on_real_minutes_of_every_source():
    """Every annotated minutes file of the development set, parsed as the build parses it (DECISIONS_GOLD.md)."""
    from indexer.measure.decision_gold import Extracted, load_gold, score_all

    gold = load_gold(GOLD)
    conversions = Conversions(Path(os.environ.get("TMPDIR", "/tmp")) / "decision-test-conversions")
    extracted = {doc: [Extracted(d.text, d.pdf_page) for d in parse_file(REALDATA / doc, doc,
                                                                          conversions=conversions).decisions]
                 for doc in {g.doc for g in gold}}
    scores = score_all(gold, extracted)
    assert set(scores) == {"kent", "suffolk", "govuk", "wyevalley", "limerick", "focs", "all"}
    for source, score in scores.items():
        assert score.recall >= 0.85, (source, [m.id for m in score.missed])
        assert score.precision >= 0.95, (source, score.false_positives)
        assert score.page_accuracy >= 0.95, (source, score.wrong_page)


@needs_realdata
def test_real_records_carry_votes_movers_owners_and_parts():
    focs = "ccorcos__focs/docs/FOWD/2025-10-20/10-20-25_Regular_Board_Meeting_Minutes.md"
    calendar = next(d for d in parse_file(REALDATA / focs, focs).decisions if "consent calendar" in d.text)
    assert (calendar.moved_by, calendar.seconded_by, calendar.pdf_page) == ("President Sarkovich", "Director Petersen", 2)
    assert calendar.vote.counts == {"for": 5}
    items = {d.item for d in parse_file(REALDATA / focs, focs).decisions}   # sections number their items again
    assert "VII.2. Discussion and possible action on additional funding for 2025 expenses" in items
    assert any(item.startswith("VI.3. Discussion and possible action on awarding the New York Well") for item in items)
    kent = ("lusavkaedu__council-assistant/kent_county_council/full_council/2025-02-13/originals/"
            "19 December 2024 - County Council minutes.pdf")
    decisions = parse_file(REALDATA / kent, kent).decisions
    plan = next(d for d in decisions if "approves and adopts Local Transport Plan 5" in d.text)
    assert plan.vote.counts["for"] == 51 and "Mr Baker" in plan.vote.names["for"]
    assert (plan.moved_by, plan.seconded_by) == ("Mr Baker", "Mr Robey")
    farm = [d for d in decisions if d.item and d.item.startswith("281.") and d.text.startswith(("8) RESOLVED", "2. To",
                                                                                                "3. To", "4. To",
                                                                                                "5. To", "6. To"))]
    assert [d.part for d in farm] == [0, 1, 2, 3, 4, 5] and [d.pdf_page for d in farm] == [12, 12, 12, 13, 13, 13]
    assert not any("The Council notes" in d.text or "This Council resolves to:" in d.text for d in decisions)
    crime = "datagovuk__library-archive/files/Crime and Justice Sector Panel - minutes - 14 February 2014 meeting_0.pdf"
    actions = [d for d in parse_file(REALDATA / crime, crime).decisions if d.outcome == "action"]
    assert len(actions) == 12 and actions[0].owner == "WM"


@needs_realdata
def test_kent_reports_state_recommendations_matching_the_resolutions():
    folder = "lusavkaedu__council-assistant/kent_county_council/cabinet/2025-01-30/originals/"
    report = folder + "24-00096 - Commissioning Plan for Education Provision in Kent 2025-29 - Report.pdf"
    texts = [r.text for r in parse_file(REALDATA / report, report).recommendations]
    assert texts[0] == "Cabinet is asked to agree the Commissioning Plan for Education Provision in Kent 2025-29."


def test_minutes_in_a_pack_keep_their_own_date(demo_index):
    hits = demo_index.search("minutes of the meeting of 22 January 2020 be approved", k=3)
    minutes = next(h for h in hits if "22 January 2020 be approved" in h.text)
    assert minutes.meeting_date == "2020-07-08"   # the July meeting it records, not the October pack
    july = demo_index.search("Outbreak Control Plan be received", k=5, date_to="2020-08-01")
    assert july and all(h.meeting_date == "2020-07-08" for h in july)


def test_decisions_cli_history_outcome_and_json_keys(demo_index):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "indexer", "decisions", str(demo_index.index_dir), *args],
                              cwd=REPO, capture_output=True, text=True, timeout=120, check=True).stdout

    records = [json.loads(line) for line in run("--json").splitlines()]
    assert list(records[0]) == ["meeting_date", "body", "item", "text", "doc_path", "pdf_page", "page_label", "ocr",
                                "group", "outcome", "vote", "moved_by", "seconded_by", "owner"]
    forward = [r for r in records if "Forward Plan 2020 – 2021 be noted" in r["text"]][0]
    first = [r for r in records if r["group"] == forward["group"]]
    assert len(first) == 2 and first[0]["text"].startswith("Resolved: 1. That a review")
    history = run("--query", "forward plan", "--history")
    assert history.index("Resolved: 1. That a review") < history.index("2. That the Health and Wellbeing Together")
    noted = [json.loads(line) for line in run("--json", "--outcome", "noted").splitlines()]
    assert noted and all(r["outcome"] == "noted" for r in noted)


def test_eval_decisions_scores_the_register(demo_index, tmp_path):
    gold = tmp_path / "gold.jsonl"
    doc = "hwt-2020-10-21-public-reports-pack.pdf"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"id": "g-1", "source": "demo", "doc": doc, "page": 4, "snippet": "Forward Plan 2020 – 2021 be noted",
         "borderline": False},
        {"id": "g-2", "source": "demo", "doc": doc, "page": 4, "snippet": "a decision nobody took", "borderline": False},
    ]))
    out = subprocess.run([sys.executable, "-m", "indexer", "eval", "--decisions", str(gold), "--index",
                          str(demo_index.index_dir)], cwd=REPO, capture_output=True, text=True, timeout=120,
                         check=True).stdout
    demo = next(line for line in out.splitlines() if line.startswith("demo"))
    recall, precision, page = demo.split()[1:4]
    assert recall == "0.50" and page == "1.00" and 0 < float(precision) < 0.5   # one decision of many matches
    assert "missed      g-2" in out


@pytest.fixture(scope="module")
def report_and_minutes(tmp_path_factory, embedder):
    """A report to Cabinet and the minutes of the same meeting, which amend one of its recommendations."""
    from indexer import build_index

    corpus = tmp_path_factory.mktemp("recommended")
    make_pdf(corpus / "Library opening hours - report.pdf", [
        "Cabinet, 2 February 2026\nLibrary opening hours\nRecommendation(s):\nCabinet is asked to:\n"
        "a) APPROVE the new opening hours from April 2026;\nb) NOTE the results of the consultation.\n"
        "1. Introduction\n1.1 The consultation ran for six weeks and 400 people replied."],
        title="Library opening hours - report")
    make_pdf(corpus / "Mobile library review - report.pdf", [
        "Cabinet, 2 February 2026\nMobile library review\nRecommendation(s):\nCabinet is asked to:\n"
        "a) AGREE the new mobile library routes;\nb) NOTE the savings of £40,000 a year.\n"
        "1. Introduction\n1.1 Two vans serve 90 villages."], title="Mobile library review - report")
    make_pdf(corpus / "Cabinet minutes 2 February 2026.pdf", [
        "Cabinet\nMinutes of the meeting held on 2 February 2026\n"
        "12. Library opening hours (Item 5)\nThe Cabinet Member introduced the report.\n"
        "RESOLVED that Cabinet:\na) approves the new opening hours from June 2026;\nb) notes the results of the "
        "consultation.\n13. Mobile library review (Item 6)\nThe Cabinet Member withdrew the report before the debate.\n"
        "14. Minutes of the last meeting (Item 7)\nRESOLVED that the minutes be approved as a correct "
        "record."], title="Cabinet minutes 2 February 2026")
    build_index(corpus, corpus / "index", embedder=embedder)
    return corpus / "index"


def test_a_resolution_is_set_beside_the_recommendation_behind_it(report_and_minutes):
    from indexer import open_index
    from indexer.find.decisions import whole
    from indexer.find.recommendations import AMENDED, compare

    index = open_index(report_and_minutes)
    groups = whole(index, index.decisions())
    hours = next(g for g in groups if "opening hours" in g[0].text)
    found = compare(index, hours)
    assert found is not None and found.status == AMENDED
    assert found.recommendation.doc_path == "Library opening hours - report.pdf"
    assert found.added == ["June"] and found.dropped == ["April"]
    minutes = next(g for g in groups if "correct record" in g[0].text)
    assert compare(index, minutes) is None   # no report lies behind approving the minutes
    out = subprocess.run([sys.executable, "-m", "indexer", "decisions", str(report_and_minutes), "--compare"],
                         cwd=REPO, capture_output=True, text=True, timeout=120, check=True).stdout
    assert "-> amended; added: June; dropped: April" in out
    assert "2 resolutions: 1 amended, 1 no recommendation indexed; 1 recommendations not taken" in out
    assert "-> not taken: the minutes list 13. Mobile library review (Item 6)" in out


def test_a_recommendation_is_not_taken_only_where_the_minutes_show_it(report_and_minutes):
    from indexer import open_index
    from indexer.find.recommendations import NOT_TAKEN, not_taken

    index = open_index(report_and_minutes)
    found = not_taken(index, "2026-02-02")
    assert [(f.status, f.recommendation.doc_path, f.minutes.item) for f in found] == [
        (NOT_TAKEN, "Mobile library review - report.pdf", "13. Mobile library review (Item 6)")]
    assert found[0].minutes.pdf_page == 1
    assert not_taken(index, "2026-03-02") == []   # no minutes of that day: nothing can be said


def test_the_decisions_page_shows_a_recommendation_not_taken(report_and_minutes, monkeypatch):
    from conftest import app_for, page_text

    app = app_for(report_and_minutes, monkeypatch)
    app.run()
    app.switch_page("ui/decisions.py").run()
    assert not app.exception
    text = page_text(app)
    assert "Recommended, **not taken**: the minutes list the item with no resolution under it." in text
    assert "AGREE the new mobile library routes" in text
    opener = next(b for b in app.button if b.key and b.key.startswith("open_not_taken_"))
    opener.click().run()
    assert not app.exception and any("Mobile library review" in m.value for m in app.markdown)


def test_eval_measures_answers_on_chosen_questions(demo_index, tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in [
        {"id": "d1", "kind": "decision", "q": "What was resolved about the forward plan at the July 2020 meeting?",
         "a": ["Forward Plan 2020 – 2021 be noted"]},
        {"id": "f1", "kind": "fact", "q": "How many people were placed into accommodation?", "a": ["60 people"]},
    ]))
    out = subprocess.run([sys.executable, "-m", "indexer", "eval", str(questions), "--index", str(demo_index.index_dir),
                          "--mode", "hybrid", "--rerank", "off", "--only", "kind=decision", "--answers"],
                         cwd=REPO, capture_output=True, text=True, timeout=300, check=True).stdout
    assert out.startswith("1 questions")
    assert "ask: right 1.00, wrong 0.00, declined 0.00" in out


RECORD = ("Northshire County Council - Record of Decision\nDECISION TAKEN BY:\nCllr Ann Lee, Cabinet Member for Highways\n"
          "DECISION NUMBER:\n26/00012\nSubject Matter / Title of Decision\nWinter Gritting Routes\n"
          "Decision:\nAs Cabinet Member for Highways I agree to:\n"
          "APPROVE the revised winter gritting routes from 1 November 2026.\n"
          "DELEGATE authority to the Director of Highways to publish the routes.\n"
          "Reason(s) for decision:\nThe routes were last reviewed in 2019.\n"
          "Options considered:\nKeeping the current routes was rejected.")


def test_a_record_of_decision_is_read_part_by_part_and_a_proposed_one_is_not(tmp_path):
    taken = make_pdf(tmp_path / "26-00012 Record of Decision.pdf", [RECORD], title="Record of Decision 26/00012")
    decisions = parse_file(taken, taken.name).decisions
    assert [d.text for d in decisions] == [
        "As Cabinet Member for Highways I agree to: APPROVE the revised winter gritting routes from 1 November 2026.",
        "DELEGATE authority to the Director of Highways to publish the routes."]
    assert [d.part for d in decisions] == [0, 1] and decisions[0].outcome == "approved"
    assert all(d.item == "26/00012 Winter Gritting Routes" and d.pdf_page == 1 for d in decisions)
    proposed = make_pdf(tmp_path / "26-00012 PROD.pdf", [RECORD.replace("Record of Decision", "Proposed Record of Decision")])
    assert parse_file(proposed, proposed.name).decisions == []


@needs_realdata
def test_kents_record_of_decision_on_the_family_hubs():
    rel = "full_council/2025-03-13/originals/Appendix 4 - 24-00093 Record of Decision.pdf"
    decisions = parse_file(REALDATA / "lusavkaedu__council-assistant/kent_county_council" / rel, rel).decisions
    assert decisions[0].item == "24/00093 Commissioned Family Hub Contracts"
    assert "APPROVE the proposal to not re-commission the Family Hub services" in decisions[0].text
    assert decisions[0].outcome == "approved" and len(decisions) >= 2
