"""The decisions register (real minutes) and extractive answers, including 'nothing found'."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import KENT, REPO, SUFFOLK, needs_realdata

from indexer.find.answer import ask
from indexer.find.tables import read_in_parts
from indexer.papers.metadata import long_month
from indexer.papers.parse import parse_file


def test_demo_pack_minutes_resolutions(demo_index):
    records = demo_index.decisions("forward plan")
    top = records[0]
    assert "That the Health and Wellbeing Together Forward Plan 2020 – 2021 be noted" in top.text
    parts = demo_index.decision_group(top.group)   # the resolution's two parts, one record each
    assert [p.part for p in parts] == [0, 1] and parts[0].text.startswith("Resolved: 1. That a review")
    assert (top.part, top.outcome) == (1, "noted")
    assert (top.meeting_date, top.pdf_page, top.page_label) == ("2020-07-08", 4, "4")
    assert top.item.startswith("7 Health and Wellbeing Together Forward Plan")
    assert top.body == "Health and Wellbeing Together"
    everything = demo_index.decisions()
    assert len(everything) >= 10 and all(r.meeting_date == "2020-07-08" for r in everything)


@needs_realdata
def test_kent_minutes_resolutions():
    rel = "cabinet/2025-01-30/originals/Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf"
    decisions = parse_file(KENT / rel, rel).decisions
    texts = [d.text for d in decisions]
    assert any(t.startswith("RESOLVED that the minutes of the meeting on 9 January 2025 were a correct record")
               for t in texts)
    budget = next(d for d in decisions if "endorsed the draft budget to be presented to County Council" in d.text)
    assert budget.item.startswith("89. Draft Revenue Budget 2025-26") and budget.pdf_page == 13
    assert budget.meeting_date == "2025-01-30"


@needs_realdata
def test_suffolk_minutes_agreements():
    decisions = parse_file(SUFFOLK / "board-meeting-minutes-2016-10-27.pdf", "b.pdf").decisions
    standing = next(d for d in decisions if "Standing Orders were agreed and adopted by the Board" in d.text)
    assert standing.item.startswith("7. Review and adopt Standing Orders")
    assert standing.meeting_date == "2016-10-27"


def test_decisions_cli_json(demo_index):
    out = subprocess.run(
        [sys.executable, "-m", "indexer", "decisions", str(demo_index.index_dir), "--json",
         "--from", "2020-01-01", "--to", "2020-12-31"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=True,
    ).stdout.splitlines()
    records = [json.loads(line) for line in out]
    assert records and list(records[0])[:8] == ["meeting_date", "body", "item", "text", "doc_path", "pdf_page",
                                                "page_label", "ocr"]   # the keys first published stay first
    none = subprocess.run(
        [sys.executable, "-m", "indexer", "decisions", str(demo_index.index_dir), "--json", "--to", "2019-01-01"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    assert none == ""


def test_ask_answers_a_resolution_question(demo_index):
    answer = ask(demo_index, "What was resolved about the forward plan at the July 2020 meeting?")
    assert "Forward Plan 2020 – 2021 be noted" in answer.text
    assert answer.text.startswith("Resolved: 1. That a review")   # the whole resolution, both parts
    assert [p.outcome for p in answer.decision] == ["resolved", "noted"]
    assert answer.decision[0].item.startswith("7 Health and Wellbeing Together Forward Plan")
    assert answer.citation.doc_path == "hwt-2020-10-21-public-reports-pack.pdf"
    assert answer.citation.pdf_page <= 4 <= answer.citation.pdf_page_end


def test_a_resolution_answering_what_was_decided_is_stated_from_a_lower_chance(demo_index, monkeypatch):
    from dataclasses import replace

    from indexer.find import answer as answering
    from indexer.find.confidence import HIGH_FROM, RESOLUTION_SURE_FROM, SURE_FROM

    assert RESOLUTION_SURE_FROM < SURE_FROM
    between = (RESOLUTION_SURE_FROM + SURE_FROM) / 2
    monkeypatch.setattr(answering, "chance_right", lambda found: between)
    question = "What was resolved about the forward plan at the July 2020 meeting?"
    resolution = ask(demo_index, question)   # a resolution of the register, quoted whole
    assert resolution.decision and "Forward Plan 2020 – 2021 be noted" in resolution.text
    assert resolution.confidence == "medium" and between < HIGH_FROM
    # asked whether it had been decided before, the latest resolution on it is not stated from that chance
    looking_back = "Had the board already resolved anything about the forward plan before July 2020?"
    earlier = ask(demo_index, looking_back)
    assert earlier.text is None and earlier.confidence == "not sure"
    monkeypatch.setattr(answering, "chance_right", lambda found: (SURE_FROM + HIGH_FROM) / 2)
    assert ask(demo_index, looking_back).decision   # from the usual chance it is
    monkeypatch.setattr(answering, "chance_right", lambda found: between)
    # nor is a sentence answering a question about what was decided
    chosen = answering.choose
    monkeypatch.setattr(answering, "choose", lambda *args: replace(chosen(*args), parts=None))
    sentence = ask(demo_index, question)
    assert sentence.text is None and sentence.confidence == "not sure" and sentence.closest


def test_ask_answers_a_figure_question(demo_index):
    answer = ask(demo_index, "How many people were placed into accommodation or with family?")
    assert "60 people had been placed" in answer.text
    assert answer.citation.pdf_page <= 10 <= answer.citation.pdf_page_end


@pytest.mark.parametrize("question", ["What is the capital of Peru?", "Who won the 1966 football World Cup final?"])
def test_ask_says_when_nothing_answers(demo_index, question):
    answer = ask(demo_index, question)
    assert answer.text is None and answer.citation is None
    assert "Nothing in the indexed papers answers this" in answer.note


def test_ask_cli_json(demo_index):
    out = subprocess.run(
        [sys.executable, "-m", "indexer", "ask", str(demo_index.index_dir),
         "What share of the accommodated cohort had a history of rough sleeping?", "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    ).stdout
    result = json.loads(out)
    assert list(result) == ["answer", "citation", "hits", "decision", "confidence"]
    assert "25% of the total cohort" in result["answer"] and result["confidence"] in ("high", "medium")
    assert result["citation"]["doc_path"] == "hwt-2020-10-21-public-reports-pack.pdf"


def test_eval_reports_answers_per_set_and_kind_with_off_topic_declines_as_json(demo_index, tmp_path):
    first, second, off_topic = tmp_path / "one.jsonl", tmp_path / "two.jsonl", tmp_path / "off.jsonl"
    first.write_text(json.dumps({"id": "d1", "kind": "decision", "a": ["Forward Plan 2020 – 2021 be noted"],
                                 "q": "What was resolved about the forward plan at the July 2020 meeting?"}) + "\n"
                     + json.dumps({"id": "f1", "kind": "fact", "a": ["no such answer string anywhere"],
                                   "q": "How many people were placed into accommodation?"}))
    second.write_text(json.dumps({"id": "s1", "q": "Who presented the Outbreak Control Plan?",
                                  "a": ["john denley"]}))
    off_topic.write_text(json.dumps({"id": "o1", "q": "Who won the football World Cup in 2022?"}))
    done = subprocess.run([sys.executable, "-m", "indexer", "eval", str(first), str(second), "--index",
                           str(demo_index.index_dir), "--mode", "hybrid", "--rerank", "off", "--answers", "--by", "kind",
                           "--off-topic", str(off_topic), "--json"],
                          cwd=REPO, capture_output=True, text=True, timeout=300, check=True)
    report = json.loads(done.stdout)
    one, two = report["sets"]
    assert (one["questions"], two["questions"]) == (2, 1)
    assert one["retrieval"][0]["mode"] == "hybrid" and "recall@5" in one["retrieval"][0]
    assert one["answers"]["wrong_ids"] == ["f1"] and one["answers"]["wrong"] == 0.5
    assert one["answers"]["by"]["decision"]["right"] == 1.0 and one["answers"]["by"]["fact"]["right"] == 0.0
    assert {"p50_ms", "p95_ms"} <= set(one["answers"])
    assert report["off_topic"] == {"file": str(off_topic), "questions": 1, "declined": 1.0, "answered_ids": []}


def test_eval_and_load_name_a_questions_file_that_is_missing_or_malformed(demo_index, tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "indexer", *args], cwd=REPO, capture_output=True, text=True,
                              timeout=120)

    missing = run("eval", str(tmp_path / "gone.jsonl"), "--index", str(demo_index.index_dir))
    assert missing.returncode == 1 and f"no questions file at {tmp_path / 'gone.jsonl'}" in missing.stderr
    assert "Traceback" not in missing.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"id": "a", "q": "What was noted?", "a": ["noted"]}) + "\n{not json\n")
    bad_line = run("eval", str(broken), "--index", str(demo_index.index_dir))
    assert bad_line.returncode == 1 and f"{broken} line 2:" in bad_line.stderr
    load = run("load", "--questions", str(tmp_path / "gone.jsonl"), "--index", str(demo_index.index_dir))
    assert load.returncode == 2 and "no questions file at" in load.stderr


def test_below_the_measured_threshold_the_answer_says_it_is_not_sure(demo_index, monkeypatch):
    from indexer.find import answer as answering

    question = "Who presented the Outbreak Control Plan?"
    sure = ask(demo_index, question)
    assert sure.confidence == "high" and "John Denley" in sure.text
    assert sure.confidence_words.startswith("High confidence")
    monkeypatch.setattr(answering, "SURE_FROM", 1.01)   # no answer is that likely
    monkeypatch.setattr(answering, "HIGH_FROM", 1.02)
    unsure = ask(demo_index, question)
    assert unsure.text is None and unsure.confidence == "not sure" and unsure.hits
    assert unsure.note == "Not sure: the closest passages are below."
    assert unsure.to_json()["confidence"] == "not sure"
    # what was likeliest is pointed to, to be checked on its page, never stated as the answer
    assert "John Denley" in unsure.closest and unsure.closest_in.chunk_id in {hit.chunk_id for hit in unsure.hits}
    assert unsure.to_json()["answer"] is None and sure.closest is None
    # pointed to as it would be stated: a sentence ending in a list's first entry, with the entries completing it
    listed = ask(demo_index, "What are the key outbreak management principles?")
    assert listed.text is None and listed.closest.endswith("Prevention first; Early recognition and Swift response.")


def test_an_answer_from_a_meeting_months_away_from_the_month_asked_about_is_not_stated(demo_index):
    question = "Who presented the Outbreak Control Plan"
    sure = ask(demo_index, question + "?")
    held = sure.citation.meeting_date
    assert sure.text and "John Denley" in sure.text and held.startswith("2020-")
    near = ask(demo_index, f"{question} in {long_month(held[:7])}?")   # 'in October 2020'
    assert near.text and "John Denley" in near.text
    far = ask(demo_index, question + " in March 2023?")
    assert far.text is None and far.confidence == "not sure" and far.hits
    assert far.note.startswith("Not sure: the closest answer found is from a meeting of ") and "not March 2023" in far.note
    assert ask(demo_index, question + " in March 2023?", steer=False).text   # the month set aside: stated


def test_an_answer_sentence_is_read_with_its_neighbour_when_the_pair_answers_better(demo_index):
    from indexer.find.stating import _in_context

    hit = _passage(demo_index, "vaccination",
                   "The board heard an update on the flu vaccination campaign across the city. "
                   "Uptake reached 74 per cent of eligible residents by the end of October. "
                   "Members thanked the public health team for their work.")
    question = "What share of eligible residents had taken up the flu vaccination?"
    subject = "The board heard an update on the flu vaccination campaign across the city."
    chosen = _in_context(demo_index, question, subject, hit, score=-5.0)
    assert "74 per cent" in chosen and chosen.startswith(subject)
    # a sentence already answering better than either pair stays alone
    figure = "Uptake reached 74 per cent of eligible residents by the end of October."
    assert _in_context(demo_index, question, figure, hit, score=99.0) == figure


def test_a_decision_that_points_back_is_stated_after_the_sentences_before_it(demo_index):
    from indexer.find.stating import with_antecedent

    hit = _passage(demo_index, "opening hours",
                   "Clare Library has asked to change its opening hours. The change only affects Fridays, when "
                   "the library opens and closes 1.5 hours earlier. Visitor numbers late on Fridays are low.\n"
                   "The Board reviewed and agreed to this amendment. "
                   "The commissioner confirmed this council was content with it this year.")
    agreed = "The Board reviewed and agreed to this amendment."
    stated = with_antecedent(agreed, hit)
    assert stated.startswith("The change only affects Fridays") and stated.endswith(agreed)
    # 'this council', 'this year' point at no sentence before; nor does an answer with nothing before it
    content = "The commissioner confirmed this council was content with it this year."
    assert with_antecedent(content, hit) == content
    first = "Clare Library has asked to change its opening hours."
    assert with_antecedent(first, hit) == first


def test_asked_whether_something_happened_the_outcome_after_the_discussion_is_stated(demo_index):
    from dataclasses import replace

    from indexer.find.stating import _with_outcome
    from indexer.find.asked import asks_whether

    hit = _passage(demo_index, "proposal",
                   "The Panel discussed a proposal from Openly Local on council accounts. Chris Taggart left the "
                   "meeting during the discussion. No conclusion was reached on whether to endorse the proposal.\n"
                   "7. Any other business: the next meeting will be held in December.")
    discussed = "The Panel discussed a proposal from Openly Local on council accounts."
    stated = _with_outcome(discussed, hit)
    assert stated.startswith(discussed) and stated.endswith("whether to endorse the proposal.")
    assert "next meeting" not in stated   # the next numbered minute is not this one's outcome
    # a decision beyond that length is stated after a mark of the words left out
    long_hit = replace(hit, text="Community Asset Transfer: Councillors discussed declaring the Hall an asset of "
                                 "community value so that the lease passes to the council. Currently nobody takes "
                                 "responsibility for the Hall and the ground rent is £40 a year. This is because "
                                 "projects needing permission under the lease are held up, which puts grants for the "
                                 "Hall at risk. Cllrs agreed to pursue getting the Hall declared an asset of "
                                 "community value.")
    opening = ("Community Asset Transfer: Councillors discussed declaring the Hall an asset of community value so "
               "that the lease passes to the council.")
    stated = _with_outcome(opening, long_hit)
    assert stated.startswith(opening) and stated.endswith("… Cllrs agreed to pursue getting the Hall declared an "
                                                          "asset of community value.")
    # the vote that settles a motion, after a lead-in and in the passage that follows, is its outcome
    motion = "A discussion took place regarding the motion to halt the sale of council land."
    voted = replace(hit, text=f"{motion} In the absence of agreement, the Chair instructed that a vote be taken on "
                              "the motion and the result of the voting was:")
    following = replace(hit, text="In favour: 5\nAgainst: 7\nThe Chair declared the motion defeated.")
    assert _with_outcome(motion, voted, following).endswith("… In favour: 5 Against: 7 The Chair declared the "
                                                            "motion defeated.")
    # a refusal settles it too
    refused = replace(long_hit, text=long_hit.text.replace("Cllrs agreed to pursue getting",
                                                           "Councillors did not support getting"))
    assert _with_outcome(opening, refused).endswith("… Councillors did not support getting the Hall declared an "
                                                    "asset of community value.")
    # a decision of the next minute, numbered in parts ('5.2.4'), is not this one's outcome
    parts = replace(long_hit, text=long_hit.text.replace("Cllrs agreed", "5.2.4 Footpaths. Cllrs agreed"))
    assert "Cllrs agreed" not in _with_outcome(opening, parts)
    assert asks_whether("Did the Panel endorse the Openly Local proposal?")
    assert asks_whether("In October 2010, did the Panel endorse it?")
    assert not asks_whether("What did the Panel decide about the proposal?")
    assert not asks_whether("When did the Panel meet?")


def test_asked_what_was_decided_the_discussion_is_stated_with_the_decision_after_it(demo_index):
    from dataclasses import replace

    from indexer.find.stating import _with_decision

    hit = _passage(demo_index, "quotes",
                   "3077. Village Hall wall: three quotations were received for the repair of the boundary wall. "
                   "Grant funding from the AONB has been confirmed. It was agreed to accept the quote from Mark "
                   "Bearcroft of £12,800.\n3078. Footpaths: the stile at Chapel Hill is broken.")
    discussed = "3077. Village Hall wall: three quotations were received for the repair of the boundary wall."
    stated = _with_decision(discussed, hit)
    assert stated.startswith(discussed) and stated.endswith("accept the quote from Mark Bearcroft of £12,800.")
    assert "stile" not in stated
    # no decision before the next numbered minute: the sentence is stated alone
    undecided = replace(hit, text=hit.text.replace("It was agreed to accept", "Cllr Wood will compare"))
    assert _with_decision(discussed, undecided) == discussed
    # far on, the decision is stated after a mark of the words left out, with the motion that it carried
    voted = replace(hit, text="Counsel presented the options to fill the vacant seat: appoint a director or call an "
                              "election. " + "The options were discussed at length by the directors present. " * 8
                              + "Director Sarkovich moved to call an election for the seat. Director Marx seconded "
                              "the motion. Motion carried with the following votes: McRae – aye, Marx – aye.")
    opening = "Counsel presented the options to fill the vacant seat: appoint a director or call an election."
    assert _with_decision(opening, voted) == (
        f"{opening} … Director Sarkovich moved to call an election for the seat. Director Marx seconded the motion. "
        "Motion carried with the following votes: McRae – aye, Marx – aye.")
    # a decision further on than _DECISION_GAP words of discussion is another matter's
    said = "The options were discussed at length by the directors present. "
    distant = replace(voted, text=voted.text.replace(said * 8, said * 20))
    assert _with_decision(opening, distant) == opening


def test_a_lead_in_is_read_with_the_list_it_introduces():
    from indexer.find.stating import quotable

    text = ("The chief executive gave an update on the project.\n"
            "The three aims of the corporation were outlined:\n"
            "1) Provide more data free at the point of use;\n"
            "2) Create a centre of excellence; and\n"
            "3) Facilitate a vehicle that can attract private investment.\n"
            "The board endorsed the work.\n"
            "The two members invited to join the board are:\n"
            "• Colin Rockall (Lavenham)\n"
            "• John Fisher (Saxmundham)\n"
            "Both will bring strong skills to the board.")
    units = quotable(text)
    assert ("The three aims of the corporation were outlined: 1) Provide more data free at the point of use; "
            "2) Create a centre of excellence; and 3) Facilitate a vehicle that can attract private investment.") in units
    # (a line not ending as a sentence runs on into the next, as printed lines do)
    assert any(u.startswith("The two members invited to join the board are: Colin Rockall (Lavenham) John Fisher")
               for u in units)
    # the entries stay quotable on their own, and a sentence after the list is no part of it
    assert "3) Facilitate a vehicle that can attract private investment." in units
    assert "The board endorsed the work." in units and not any(u.endswith("endorsed the work.") and ":" in u for u in units)


def test_a_question_asking_who_is_answered_by_someone_besides_those_it_names():
    from indexer.find.asked import PERSON, asked_for, fits

    asked = "Who were invited to join the board as directors after Sue Brotherwood resigned?"
    assert asked_for(asked) == PERSON
    assert asked_for("After the first nomination failed, who was elected vice president?") == PERSON
    assert asked_for("What did the board decide?") is None and asked_for("How many were invited?") != PERSON
    # the question's own people, roles and the body whose paper it is say no one new
    body = "Suffolk Libraries IPS Board"
    assert not fits(PERSON, "Due to the resignation of Sue Brotherwood the Board have invited 2 applicants to join as "
                            "Directors of Suffolk Libraries.", asked, body)
    assert not fits(PERSON, "This matter was discussed in the closed meeting.", asked, body)
    # a title with no full stop of its own: 'Directors.' ends a sentence, the next word is no name
    assert not fits(PERSON, "They join as Directors. This matter was discussed in the closed meeting.", asked, body)
    assert fits(PERSON, "Dr. Jane Hope was invited.", asked, body)
    assert fits(PERSON, "The two members invited to join the Board are: Colin Rockall (Lavenham) John Fisher", asked, body)
    # a title, a role, a list of names, a name after a lead-in, an organisation, the one a thing is given to
    for someone in ("RESOLVED that Mr P Bartlett be duly elected.", "Chair – Tony Brown",
                    "Action: Janet Hughes to draft a response.", "Sarah Hamilton, Lesley Game and Dan Bride attended.",
                    "The contract went to George Reed, Inc. for $928,000.", "The work be awarded to Lee Gardner.",
                    "The Clerk will write to them.", "It was agreed to use Ipswich Borough Council as the adviser."):
        assert fits(PERSON, someone, "Who is it?"), someone
    # a month is no one: 'deferred to March 2025'
    assert not fits(PERSON, "The item was deferred to March 2025 for review.", "Who is it?")
    # the item's title run into the sentence names no one ('... Sign Base The Parish Council'), and the
    # question's possessive ('sign's') names what the title names
    sign = "Who did Wereham Parish Council give the job of rebuilding the village sign's base to in April 2016?"
    assert not fits(PERSON, "13/16 Village Sign Base The Parish Council had received two quotes for the "
                            "rebuilding of the base of the village sign.", sign, "Wereham Parish Council")
    assert fits(PERSON, "Resolved: That the work be awarded to Lee Gardner at a cost of £180.", sign,
                "Wereham Parish Council")


def test_a_question_asking_for_an_amount_or_a_time_is_told_apart():
    from indexer.find.asked import AMOUNT, TIME, asked_for, fits

    assert asked_for("How many people were housed?") == AMOUNT
    assert asked_for("What share of the cohort had slept rough?") == AMOUNT
    assert asked_for("When will the equality analysis be reviewed?") == TIME
    assert asked_for("From when does the new grants policy apply?") == TIME
    assert asked_for("When ODUG refreshed its membership in 2013, did members keep their places?") is None
    assert asked_for("What did Cabinet resolve?") is None
    assert fits(AMOUNT, "sixty people") and fits(AMOUNT, "£80.3 million") and not fits(AMOUNT, "people were housed")
    assert fits(TIME, "in May 2021") and fits(TIME, "review date: next year") and fits(TIME, "from 1st October")
    assert not fits(TIME, "the council may decide") and fits(None, "anything")
    # a clause naming the meeting may come first; a deadline is a time
    assert asked_for("At the January 2018 special meeting on the road, how much could the interchange cost?") == AMOUNT
    assert asked_for("In the February 2025 letter to the leaders, by when was the interim plan due?") == TIME
    assert asked_for("In the proposed record of decision on the Commissioning Plan for Education Provision 2025-29 put "
                     "to Cabinet in January 2025, how much additional primary provision is needed?") == AMOUNT
    assert asked_for("What deadline did the councillors agree for their amendments?") == TIME
    # a date, a time or a paragraph's number is no amount
    for dated in ("Date: 16th November 2010 From: the Independent Members", "Date and Time: 2018-01-08 15:00:00",
                  "1.6 Also on 5 February, the Minister wrote to the leaders", "held on March 3, 2022 at 7:00 p.m."):
        assert not fits(AMOUNT, dated), dated
    assert fits(AMOUNT, "In 2023 we built 45 homes") and fits(AMOUNT, "£12.50 an hour") and fits(AMOUNT, "4.75 per unit")
    # a clock time is a time; what a thing cost or was worth is an amount
    assert asked_for("Under the standing orders, at what times must evening meetings start and finish?") == TIME
    assert fits(TIME, "Evening meetings shall commence at 19:00 and end by 21:30.") and fits(TIME, "from 7.30 pm")
    assert asked_for("What did the two commissioned contracts cost each year?") == AMOUNT
    assert asked_for("What were the council's assets worth on the asset list?") == AMOUNT
    assert not fits(AMOUNT, "Councillors approved and signed the asset list.")


def test_an_answer_must_add_an_amount_or_a_time_to_those_the_question_names():
    from indexer.find.asked import AMOUNT, TIME, fits

    since_july = "How many incidents had been recorded under the operation since it began in July?"
    assert not fits(AMOUNT, "The Superintendent stated that on 1st July, 2019 a new operation commenced.", since_july)
    # an item's number run into its title is no amount either
    assert not fits(AMOUNT, "8.Operation Shannonside The new operation commenced in the districts.", since_july)
    assert fits(AMOUNT, "By 8th October 2019 a total of 696 incidents were recorded.", since_july)
    # nor a reference to an item, a paragraph or an appendix, nor a minute's number ('13/16 Village Hall')
    bids = "How many councils' bids to the £1m Breakthrough Fund succeeded?"
    assert not fits(AMOUNT, "Item 7): Updates on the Breakthrough Fund: the LGA were managing a £1m grant.", bids)
    assert not fits(AMOUNT, "13/16 Village Hall The Council received quotes, see paragraph 3.2 and Appendix 4.", bids)
    assert fits(AMOUNT, "24 applications were submitted, 11 of which were approved.", bids)
    of_forty = "How many of the 40 indicators were red in December?"
    assert not fits(AMOUNT, "The report holds 40 indicators.", of_forty)
    assert fits(AMOUNT, "Of the 40 indicators, 4 were red.", of_forty) and fits(AMOUNT, "nine were red", of_forty)
    by_when = "By what date in 2021 was the road to reopen?"
    assert not fits(TIME, "The road closure will continue through 2021.", by_when)
    assert fits(TIME, "The road is to reopen on 19th July 2021.", by_when) and fits(TIME, "reopens in July", by_when)
    # a day of the month the question names is news
    assert fits(TIME, "The event is on 24 March 2015.", "When in March 2015 was the event held?")


def test_asked_about_an_office_an_answer_naming_only_its_deputy_is_of_another_kind():
    from indexer.find.asked import lesser_role

    president = "Who did the trustees choose as board president in December 2023?"
    assert lesser_role(president, "that the Board of Trustees elect Kelly Wilkerson as Board Vice President.")
    assert not lesser_role(president, "that the Board of Trustees elect Pam Haynes as Board President.")
    assert not lesser_role(president, "Pam Haynes was elected President and Kelly Wilkerson Vice President.")
    assert lesser_role("Who was elected Mayor?", "Cllr Collins was elected Deputy Mayor.")
    assert not lesser_role("Who won the vote for Deputy Mayor?", "Cllr Collins was elected Deputy Mayor.")
    assert lesser_role("Who will chair the committee?", "Cllr Ashman agreed to be vice-chair.")
    assert not lesser_role("Who chaired the meeting?", "The minutes were agreed.")


def test_a_question_about_what_came_before_is_answered_by_a_sentence_that_looks_back():
    from indexer.find.earlier import answers_before, asked_before, asks_earlier, looks_back

    for question in ("Had the parish council already agreed to fund the bench?",
                     "Before the 2026 review, when had Cabinet adopted the transport plan?",
                     "Has the board ever refused a licence of this kind?", "Has the panel met in Leeds before?",
                     "When the council adopted the 2026 scheme, when had it first set the scheme up?"):
        assert asks_earlier(question), question
    for question in ("What did the board decide in May 2020?", "How much will the bench cost?",
                     "What must the clerk do before the next meeting?", "By May 2026, who had applied for the post?",
                     "When did the board first meet?", "What level had the reserves reached by the end of its first year?"):
        assert not asks_earlier(question), question
    held = "2026-03-12"   # the meeting whose papers hold the sentence
    assert looks_back("The bench was previously agreed at £400.", held)
    assert looks_back("The plan was adopted by the Council in July 2019.", held)
    assert looks_back("agreed by the committee on 3 February 2026", held) and looks_back("in January 2026", held)
    assert not looks_back("RESOLVED that the Council adopts the transport plan.", held)
    assert not looks_back("The scheme is adopted under Section 66 of the Local Government Act, 2001.", held)   # a law's name
    assert not looks_back("The 2025-26 budget was agreed; the plan runs to 2030.", held)   # this year's, or later
    assert not looks_back("to be reviewed on 19 March 2026", held) and not looks_back("in March 2026", held)
    assert not looks_back("It was adopted in 2019.", None) and looks_back("as already agreed", None)
    # the time asked about: a month, else a year; a meeting before it tells of that time whatever it says
    assert asked_before("Had the board already agreed it before its March 2026 meeting?") == "2026-03"
    assert asked_before("Before 2018, had the board decided to pay annually?") == "2018"
    assert asked_before("Has the board previously refused a licence?") is None
    assert answers_before("RESOLVED that the fence be repaired.", "2021-06-07", "2026-03")
    assert not answers_before("RESOLVED that the fence be replaced.", "2026-03-12", "2026-03")
    assert answers_before("The fence was previously repaired.", "2026-03-12", "2026-03")


def test_how_many_is_answered_by_a_sentence_with_a_number_or_not_at_all(tmp_path, embedder, monkeypatch):
    from conftest import make_pdf

    from indexer import build_index, open_index
    from indexer.find import answer as answering

    make_pdf(tmp_path / "papers" / "cabinet_minutes_2024-11-14.pdf", [
        "Cabinet\nMinutes of the meeting held on 14 November 2024\n\n4. Rough sleeping\n"
        "Members asked how many people were sleeping rough in the city this winter.\n"
        "The Chair thanked the outreach team for their work over the year.\n"
        "The street count on 7 November found 41."],
        title="Cabinet minutes 14 November 2024")
    make_pdf(tmp_path / "library" / "libraries_board_minutes_2024-06-20.pdf", [
        "Libraries Board\nMinutes of the meeting held on 20 June 2024\n\n5. Annual report\n"
        "Members asked how many visits the libraries had this year, and how many books were lent.\n"
        "Visits to the county's libraries rose to 1.2 million this year, and 2.4 million books were lent."],
        title="Libraries Board minutes 20 June 2024")
    build_index(tmp_path / "papers", tmp_path / "index", embedder=embedder)
    build_index(tmp_path / "library", tmp_path / "library_index", embedder=embedder)
    index = open_index(tmp_path / "index", embedder)
    visits = ask(open_index(tmp_path / "library_index", embedder), "How many visits did the libraries have this year?")
    assert visits.text and "1.2 million" in visits.text
    monkeypatch.setattr(answering, "SURE_FROM", 0.0)   # however sure: never a sentence without a number
    rough = ask(index, "How many people were sleeping rough in the city?")
    assert rough.text is None or "41" in rough.text, rough.text


def _minutes_index(tmp_path, embedder, minutes: dict[str, str]):
    """An index of a council's minutes, given as text by file name."""
    from indexer import build_index, open_index

    folder = tmp_path / "corpus" / "council" / "minutes"
    folder.mkdir(parents=True)
    for name, text in minutes.items():
        (folder / name).write_text(text, encoding="utf-8")
    build_index(tmp_path / "corpus", tmp_path / "index", embedder=embedder)
    return open_index(tmp_path / "index")


def _chosen(index, question: str):
    """The answer `ask` would choose for the question, whatever its confidence."""
    from indexer.find.answer import choose
    from indexer.records import make_filters

    return choose(index, question, make_filters(), index.search(question, k=5), steer=True)


def test_a_row_of_a_long_table_line_is_read_under_the_tables_headings(tmp_path, embedder):
    rows = ("Clerk's Salary 4,200 3,528 4,000 3,551 Clerk's Home Allowance 350 350 350 350 Clerk's Expenses 500 "
            "415 500 444 Training 100 0 50 0 Cllr Expenses 100 0 100 0 Insurance 450 424 450 431 Audit Fees 300 "
            "240 300 260 Subscriptions 150 138 150 141 Hall Hire 200 180 200 190 Churchyards 500 500 500 500 "
            "Village News 300 300 300 300 Website 200 60 200 150 Youth Club 200 200 200 200 Toddlers Group 200 "
            "200 200 200 Charities 100 100 100 150 Christmas Lights 400 380 400 "
            "395 Grass Cutting 1,800 1,750 1,900 1,860 Bus Shelter 150 0 150 75 Defibrillator 0 0 1,200 1,150 Play "
            "Area 800 640 800 720 Footpaths 300 290 300 310 Litter Picking 120 100 120 115 Noticeboards 90 0 90 85 "
            "Allotments 250 240 250 245 Flood Warden 60 60 60 60 Twinning 150 150 150 150 Community Hall Grant "
            "1,000 1,000 1,000 1,000 Contingency 500 0 500 120 Grants 500 450 500 480 Events 600 540 600 590 "
            "Archive 50 0 50 40 Projects 6,000 7,695 8,000 9,080 Elections 0 0 1,500 1,280 TOTAL 21,800 23,800 "
            "26,990 28,621")
    index = _minutes_index(tmp_path, embedder, {"2016-04-12_minutes.txt": (
        "Minutes of the meeting of the Community Council held on 12th April 2016.\n\n5. Budget 2016/17\n\n"
        "The Clerk presented the budget sheet, which was agreed.\n\n"
        f"COMMUNITY COUNCIL - BUDGET 2015/16 2016/17 ITEM Budget Spent Budget Spent 2015/16 2016/17 REVENUE {rows}\n")})
    question = "On the community council's 2016/17 budget sheet, what were the budgeted and spent figures for projects?"
    chosen = _chosen(index, question).text
    # the row asked about, under the headings that say what its figures are
    assert "Projects 6,000 7,695 8,000 9,080" in chosen and chosen.startswith("COMMUNITY COUNCIL - BUDGET")


def test_asked_what_was_decided_the_decision_answers_not_the_action_after_it(tmp_path, embedder):
    index = _minutes_index(tmp_path, embedder, {"20201026.txt": (
        "Minutes of a meeting of the Community Council held on Monday 26th October 2020.\n\n"
        "2970. Apologies for absence:  None.\n\n2971. Approval of minutes:  Approved and signed as correct.\n\n"
        "2972. Proposal for use of Land below the Cafe:  Letter received from Mr & Mrs Kennedy.  The majority of "
        "Councillors present agreed in principle to their proposal to lease this area for an initial term of 5 "
        "years.  Clerk inform the Kennedys of the Council's decision.\n\n"
        "2973. Correspondence:  None.\n")})
    question = "What did the council decide about the Kennedys' request to lease the land below the cafe?"
    choice = _chosen(index, question)
    assert "lease this area for an initial term of 5 years" in choice.text


def test_asked_how_a_board_decided_the_items_motion_answers_not_its_discussion(tmp_path, embedder):
    from indexer.find.search import DECISION_QUESTION

    index = _minutes_index(tmp_path, embedder, {"2019-08-12_minutes.txt": (
        "Minutes of the Regular Board Meeting of the Water District held on August 12, 2019.\n\n"
        "1. Call to order\n\nPresident Marx called the meeting to order at 6:00 p.m.\n\n"
        "2. Public comment\n\nThere was no public comment.\n\n"
        "3. Approval of the consent calendar\n\nDirector McRae moved to approve the consent calendar. Director "
        "Page seconded the motion. Motion carried with the following votes: McRae - aye, Page - aye.\n\n"
        "4. Discussion and possible action on the vacant Division 1 Director position\n\n"
        "Legal Counsel presented the options for the Water District board to fill the vacant Division 1 Director "
        "seat. The options are to appoint a new Director or call an election.\n\n"
        "Director Sarkovich moved to call an election for the vacant Division 1 Director position in accordance "
        "with the Government Code. Director Marx seconded the motion. Motion carried with the following votes: "
        "McRae - aye, Page - aye, Marx - aye.\n\n5. Adjournment\n\nThe meeting was adjourned at 7:15 p.m.\n")})
    question = "How did the Water District board decide to fill its vacant Division 1 director seat?"
    choice = _chosen(index, question)
    assert choice.parts and "moved to call an election" in choice.text
    # deciding is asked in other words too
    assert DECISION_QUESTION.search("How many employees did the board authorize to be assigned?")
    assert DECISION_QUESTION.search("Which contractor did the trustees pick for the rebid?")


def test_asked_what_became_of_a_motion_the_answer_goes_on_to_its_outcome(tmp_path, embedder):
    from indexer.find.search import DECISION_QUESTION
    from indexer.find.stating import stated

    index = _minutes_index(tmp_path, embedder, {"2019-11-25_minutes.txt": (
        "Minutes of the Meeting of the Council held on Monday 25th November 2019.\n\n"
        "1. CONFIRMATION OF MINUTES\n\nOn the proposal of Cllr Ryan, seconded by Cllr Hayes, the Minutes of the "
        "Meeting held on 28th October 2019 were confirmed.\n\n"
        "2. NOTICE OF MOTION\n\nCllr O'Brien moved the following motion: \"That this Council calls on RTE to keep "
        "the Lyric FM studio in Limerick.\"\n\nCllr O'Brien said the station was part of the cultural life of the city "
        "and its staff had served it for twenty years. Cllr Walsh spoke in support of the motion on the Lyric FM "
        "studio and said its loss would harm the arts in Limerick.\n\nOn the proposal of Cllr O'Brien, seconded by "
        "Cllr Walsh, the motion was agreed unanimously.\n\n"
        "3. HOUSING VOIDS\n\nThe Director of Housing presented the report on the housing voids programme. "
        "Members welcomed the report.\n")})
    question = "What was the result of the motion on keeping the Lyric FM studio in Limerick?"
    assert "the motion was agreed unanimously" in stated(index, question, _chosen(index, question))
    # the fate of a motion is asked in other words too; what a motion says or asks for is not its fate
    assert DECISION_QUESTION.search("What motion did the council pass at its April 2025 special meeting?")
    assert DECISION_QUESTION.search("Did the SPC support Cllr Ryan's motion to stop selling council land?")
    assert not DECISION_QUESTION.search("How many vapes did the Green group's motion say were thrown away?")


def test_asked_how_a_body_responded_the_answer_goes_on_to_what_it_decided(tmp_path, embedder):
    from indexer.find.search import DECISION_QUESTION
    from indexer.find.stating import stated

    index = _minutes_index(tmp_path, embedder, {"2019-04-29_minutes.txt": (
        "Minutes of the Meeting of Tintern Community Council held on Monday 29th April 2019.\n\n"
        "2683. Reports from outside bodies: Lower Wye Valley Building Preservation Trust gave a presentation on "
        "buying the freehold of the Slipway at Fryer's Wharf. Mrs Wood and Mr Hewitt were present to formally ask "
        "if the council would be willing to sell the Trust the freehold of the Slipway and a small area of land "
        "beside it. Councillors noted the value of the land to the village. It was agreed that providing the "
        "terms were right the council would sell the Slipway to the Trust.\n\n"
        "2684. Finance: the accounts for March were approved.\n")})
    question = "How did Tintern Community Council respond in April 2019 to the Trust's request to buy the Slipway?"
    assert DECISION_QUESTION.search(question)
    assert "providing the terms were right" in stated(index, question, _chosen(index, question))
    assert DECISION_QUESTION.search("What position did the Open Data User Group take on the census consultation?")
    assert DECISION_QUESTION.search("How did the board deal with the auditor's letter in May 2016?")
    # how many responded, or a position that is a figure, asks no decision
    assert not DECISION_QUESTION.search("How many councils responded to the transparency survey?")
    assert not DECISION_QUESTION.search("What year-end position were the management accounts forecasting?")


def test_the_chairs_opening_words_on_why_the_meeting_was_held_answer_only_why(tmp_path, embedder):
    from indexer.find.asked import says_why_held

    index = _minutes_index(tmp_path, embedder, {"2021-11-15_minutes.txt": (
        "Minutes of the Special Meeting of the Council held on Monday 15th November 2021.\n\n"
        "1. AFFORDABLE HOUSING\n\nThe Mayor stated that he had called the Special Meeting to discuss affordable "
        "housing in the county and what the Council could ask of the Minister for Housing.\n\n"
        "The Director of Housing outlined the schemes now open to buyers. Members spoke of the shortage of homes in "
        "rural areas.\n\nCouncillor Ryan proposed that the Council write to the Minister asking that affordable "
        "housing be extended to every town in the county and that once-off rural homes be included. This was "
        "seconded by Councillor Hayes and agreed.\n\n2. CLOSE\n\nThe meeting closed at 5.30 p.m.\n")})
    question = "What did the council ask the Minister for Housing to do about affordable housing at its special meeting?"
    assert "once-off rural homes be included" in _chosen(index, question).text
    # asked why the meeting was held, the opening words answer; a meeting to be held is a decision, not them
    opening = "The Mayor stated that the Special Meeting was being held to discuss the Issues Paper."
    assert not says_why_held("Why was the special meeting held in December 2017?", opening)
    assert says_why_held("What was said about the Issues Paper?", opening)
    assert not says_why_held("What was agreed?", "It was agreed that a meeting be held to discuss the closure.")


def test_asked_about_a_month_the_answer_comes_from_that_months_meeting(tmp_path, embedder):
    index = _minutes_index(tmp_path, embedder, {
        "2020-10-02_minutes.txt": (
            "Minutes of the Joint Policing Committee held on 2nd October 2020.\n\n"
            "4. Roads policing\n\nThe Chief Superintendent gave an update on roads policing in the division. He "
            "confirmed that 6 people had died on the roads so far this year and 28 had been seriously injured.\n"),
        "2022-09-23_minutes.txt": (
            "Minutes of the Joint Policing Committee held on 23rd September 2022.\n\n"
            "5. Road deaths in the division\n\nTo date there have been 11 fatal road traffic collisions in the "
            "division this year, with 12 people losing their lives.\n")})
    question = "How many fatal road traffic collisions had there been in the division by October 2020?"
    choice = _chosen(index, question)
    assert "6 people had died" in choice.text and choice.hit.meeting_date == "2020-10-02"
    # naming no month, the closer wording may answer: nothing is held against the later meeting
    unnamed = _chosen(index, "How many fatal road traffic collisions had there been in the division to date?")
    assert unnamed is not None


def test_asked_about_a_meeting_its_resolutions_come_first(tmp_path, embedder):
    from indexer.find.search import focused_decisions
    from indexer.records import make_filters

    index = _minutes_index(tmp_path, embedder, {
        "20230315.txt": "Minutes of a meeting of the Parish Council held on Wednesday 15th March 2023.\n\n"
        "101. Car park charges:  It was resolved that car park charges be introduced at the village car park "
        "from April, and that the car park charges be reviewed each year.\n\n102. Correspondence:  None.\n",
        "20241113.txt": "Minutes of a meeting of the Parish Council held on Wednesday 13th November 2024.\n\n"
        "201. Village hall:  It was resolved that parking at the hall car park be free for residents over the "
        "winter.\n\n202. Correspondence:  None.\n"})
    question = "What did the parish council resolve about car park charges in November 2024?"
    everywhere = index.decisions(question, make_filters(), limit=1)
    assert everywhere[0].meeting_date == "2023-03-15"   # its words match the other meeting's resolution best
    first = focused_decisions(index, question, make_filters(), index.focus(question), 1)[0]
    assert first.meeting_date == "2024-11-13" and "free for residents" in first.text
    # a filter the reader set is kept as it is
    assert focused_decisions(index, question, make_filters(date_to="2023-12-31"), index.focus(question),
                             1)[0].meeting_date == "2023-03-15"


def test_an_answer_read_on_into_the_next_passage_cites_its_pages_too(demo_index):
    from indexer.find.stating import _following, cited

    hits = demo_index.hits_for([(n, 0.0) for n in range(1, 400)])
    hit, after = next((h, f) for h in hits if (f := _following(demo_index, h)) and f.pdf_page_end > h.pdf_page_end)
    assert cited(demo_index, hit, hit.text).pdf_page_end == hit.pdf_page_end
    read_on = f"{hit.text.split('.')[0]}. … {' '.join(after.text.split()[-12:])}"
    assert cited(demo_index, hit, read_on).pdf_page_end == after.pdf_page_end


def _passage(index, query: str, text: str):
    """The demo index's best passage for the query, given other text: how an answer is read from a passage."""
    from dataclasses import replace

    return replace(index.search(query, k=1)[0], text=text)


def test_a_table_read_as_one_sentence_is_also_read_in_the_part_the_question_matches():
    rows = " ".join(f"Fund {n} - $ {n},000.00" for n in range(30))    # 150 words with no sentence break
    table = f"ELECTRONIC TRANSFERS {rows} CARES Act - $ 6,546,500.00 Regional Transit - $ 804,114.00"
    prose = "The Board heard that the scheme " + "would help the libraries and their friends groups " * 12 + "in time."
    weights = {"cares": 3.0, "act": 1.0, "scheme": 1.0}
    read = read_in_parts(["The Board approved the transfers.", table, prose], weights)
    assert read[:2] == ["The Board approved the transfers.", table] and read[3:] == [prose]   # each read whole
    assert "CARES Act - $ 6,546,500.00" in read[2] and len(read[2].split()) <= 40   # the table in its best part too


def test_asked_what_came_before_a_sentence_looking_back_answers_not_the_meetings_own_decision(tmp_path, embedder):
    index = _minutes_index(tmp_path, embedder, {"20250310.txt": (
        "Minutes of a meeting of the Parish Council held on Monday 10th March 2025.\n\n"
        "412. Playing field fence:  RESOLVED that the Parish Council approves the replacement of the playing "
        "field fence at a cost of £2,400.  The Council had approved a repair of the playing field fence in "
        "June 2021, which lasted three years.  Clerk to order the fence.\n\n"
        "413. Correspondence:  None.\n")})
    now = _chosen(index, "What did the parish council approve for the playing field fence in March 2025?")
    assert "replacement" in now.text
    before = _chosen(index, "Had the parish council approved any work on the playing field fence before March 2025?")
    assert "June 2021" in before.text


def test_asked_what_came_before_a_month_an_earlier_meeting_answers_and_is_stated(demo_index):
    from indexer.find.answer import _months_away

    before = "Had the board already agreed to review the Joint Health and Wellbeing Strategy before October 2020?"
    assert not _months_away(before, "2020-07-08", "") and _months_away(before, "2021-03-01", "")
    assert _months_away("What did the board agree in October 2020?", "2020-07-08", "")
    # a passage that names the month asked about is of it, whenever it was minuted
    assert not _months_away("What did the board agree in October 2020?", "2021-03-01", "the October 2020 plan")
    earlier = ask(demo_index, before)   # the October pack carries the July minutes, where it was agreed
    assert earlier.text and "review of the Joint Health and Wellbeing Strategy" in earlier.text
    assert earlier.citation.meeting_date == "2020-07-08"


def test_asked_about_a_months_figures_the_meeting_that_reports_them_later_answers(tmp_path, embedder):
    index = _minutes_index(tmp_path, embedder, {
        "2014-01-30_minutes.txt": (
            "Minutes of the Board meeting held on 30th January 2014.\n\n"
            "8. Management Accounts\n\nThe General Manager asked the Board to look at the report. The figure "
            "has dropped from a year end surplus forecast last month to a year end deficit this month of £80,000.\n"),
        "2014-03-20_minutes.txt": (
            "Minutes of the Board meeting held on 20th March 2014.\n\n"
            "9. Management Accounts\n\nThe General Manager described the Management Accounts for February 2014. "
            "Library income was slightly down. There was an overall forecast deficit of £95,000.\n")})
    question = "What full-year deficit was forecast in the February 2014 management accounts?"
    assert index.focus(question).holds(None, "2014-03-20", None, "the Management Accounts for February 2014")
    choice = _chosen(index, question)
    assert "£95,000" in choice.text and choice.hit.meeting_date == "2014-03-20"


def test_asked_who_a_sentence_naming_no_one_is_completed_by_the_list_after_it(tmp_path, embedder):
    from indexer.find.stating import stated

    index = _minutes_index(tmp_path, embedder, {
        "2014-03-20_minutes.txt": (
            "Minutes of the Board meeting held on 20th March 2014.\n\n"
            "1. Welcome and Apologies\n\nApologies were received from Cllr Ann Hope and Jane Clark. The Chair "
            "announced the resignation of Director Sue Brotherwood from the Board.\n"),
        "2014-05-29_minutes.txt": (
            "Minutes of the Board meeting held on 29th May 2014.\n\n"
            "12. Board Vacancy\n\nDue to the resignation of Sue Brotherwood the Board have invited two applicants "
            "to join as Directors. This matter was discussed in the closed meeting. The two members invited "
            "to join the Board until the AGM are:\n• Colin Rockall (Lavenham)\n• John Fisher (Saxmundham)\n\n"
            "13. Date of next meeting\n\nThe next meeting will be on 31st July 2014.\n")})
    question = "Who were invited to join the board as directors after Sue Brotherwood resigned?"
    choice = _chosen(index, question)
    assert choice.hit.meeting_date == "2014-05-29" and "Colin Rockall" in choice.text
    assert choice.text.startswith("Board Vacancy Due to the resignation")   # read on from the sentence found
    assert "Colin Rockall" in stated(index, question, choice)


def test_asked_what_was_decided_on_a_subject_the_item_titled_with_it_answers(tmp_path, embedder, monkeypatch):
    from indexer.find import answer
    from indexer.find.answer import _subject

    # what the question is about: not its asking, its month and year, or the body it names
    assert _subject("What did Cabinet resolve about the draft budget in January 2025?",
                    ("Kent County Council - Cabinet",)) == {"draft", "budget"}
    # nor who decided, named before the asking verb; a word opening like a month ('Margate', 'Mayor') is kept
    assert _subject("What did council resolve about the Corporate Parenting Panel minutes?") == {
        "corporate", "parenting", "panel", "minute"}
    assert _subject("What did the Mayor agree in Sept 2024 about the Margate market?") == {"margate", "market"}
    index = _minutes_index(tmp_path, embedder, {"2025-01-30_minutes.txt": (
        "Minutes of the Cabinet meeting held on 30th January 2025.\n\n"
        "5. Provisional Local Government Finance Settlement\n\nThe Deputy Leader introduced the settlement, which "
        "changed the grants assumed in the draft budget.\n"
        "RESOLVED that Cabinet note the settlement and what it changes in the draft budget: its grant reductions "
        "compared to the assumptions in the draft budget.\n\n"
        "6. Draft Revenue Budget 2025-26\n\nThe Deputy Leader introduced the proposals and the amendments from the "
        "Cabinet Committees.\n"
        "RESOLVED that Cabinet endorse the proposals and recommend them to County Council in February.\n")})
    question = "What was resolved about the draft budget?"
    assert "endorse the proposals" in _chosen(index, question).text
    monkeypatch.setattr(answer, "TITLE_BONUS", 0.0)   # without it, the settlement's words win
    assert "endorse the proposals" not in _chosen(index, question).text


def test_asked_what_was_decided_a_request_is_weighed_with_the_decision_it_is_stated_with(tmp_path, embedder,
                                                                                          monkeypatch):
    from indexer.find import answer as answering
    from indexer.find.answer import Choice, read_to_decision
    from indexer.find.confidence import evidence
    from indexer.find.stating import headed, quotable, stated

    index = _minutes_index(tmp_path, embedder, {"2021-04-26_minutes.txt": (
        "Minutes of the Meeting of Tintern Community Council held on Monday 26th April 2021.\n\n"
        "3077. Correspondence\n\nEmail received from WyeV Radio, a local group setting up a community digital radio "
        "station for the Lower Wye Valley, asking for financial assistance towards its broadcasting equipment.\n\n"
        "After discussion it was agreed that TCC would support the venture in principle once fuller information "
        "is received.\n\n"
        "3078. Finance\n\nThe accounts for March were approved.\n")})
    question = "What did Tintern Community Council decide when WyeV Radio asked it for money in April 2021?"
    # chosen: the request, which names what the question is about; the decision after it does not
    hits = index.search(question, k=5)
    hit = next(h for h in hits if "asking for financial assistance" in h.text)
    request = next(unit for unit in quotable(hit.text) if "asking for financial assistance" in unit)
    score = float(index.relevance(question, [headed(hit, request)])[0])
    choice = Choice(request, hit, None, score, [score], evidence(score, score, [score], hit, hits))
    text = stated(index, question, choice)
    assert "asking for financial assistance" in text and text.endswith("support the venture in principle once fuller "
                                                                       "information is received.")
    weighed = read_to_decision(index, question, choice, text)
    # how sure the answer is: the cross-encoder's reading of the request and the decision together
    read = float(index.relevance(question, [headed(hit, text)])[0])
    assert weighed.evidence.score == max(read, score)
    assert weighed.evidence.margin - choice.evidence.margin == weighed.evidence.score - score
    assert (weighed.text, weighed.score) == (choice.text, choice.score)   # the same answer, stated the same way
    # a sentence stated as it is, or read on to no decision, is weighed as it was chosen
    assert read_to_decision(index, question, choice, request) is choice
    assert read_to_decision(index, question, choice, f"{request} The station hopes to broadcast soon.") is choice
    # not sure: the request is pointed to with the decision stating goes on to
    monkeypatch.setattr(answering, "choose", lambda *args: choice)
    monkeypatch.setattr(answering, "SURE_FROM", 1.01)
    unsure = ask(index, question)
    assert unsure.text is None and unsure.closest == " ".join(text.split())


def test_an_answer_stands_above_its_rivals_not_above_itself_read_again():
    from indexer.find.decisions import same_statement

    resolution = "RESOLVED that the minutes of the meeting held on 29 October 2024 be signed by the Chair."
    # the sentence of the passage that holds the resolution, under its item's number, states the same
    assert same_statement(resolution, f"5. Minutes {resolution}")
    assert same_statement(f"5. Minutes {resolution}", resolution)
    # so does one sentence read in two overlapping passages, whatever its marks
    assert same_statement("The Board agreed: the fees rise by 2%.", "the board agreed the fees rise by 2")
    # another resolution, or a sentence sharing only some words, is a rival
    assert not same_statement(resolution, "RESOLVED that the minutes of the meeting held on 10 December 2024 "
                                          "be signed by the Chair.")
    assert not same_statement("Agreed.", "Agreed. The Clerk to write to the contractor.")
    assert not same_statement("Agreed.", "Disagreed.") and not same_statement("", resolution)
    assert same_statement("Agreed.", "agreed")


def test_an_answers_margin_leaves_out_the_same_statement_read_again(demo_index, monkeypatch):
    from indexer.find import answer as answering

    measured = []
    weigh = answering.evidence

    def spy(score, weighed, rivals, hit, hits):
        measured.append(rivals)
        return weigh(score, weighed, rivals, hit, hits)

    monkeypatch.setattr(answering, "evidence", spy)
    question = "What was resolved about the forward plan at the July 2020 meeting?"
    filters = answering.make_filters()
    choice = answering.choose(demo_index, question, filters, demo_index.search_many([question], 5, filters)[0], True)
    # the resolution, whose passage's sentence holding it scores as it does: measured against it, the answer
    # would stand no higher than itself
    assert choice.parts and choice.score in choice.scores
    assert len(measured[0]) < len(choice.scores) and measured[0].count(choice.score) == 1
    assert choice.evidence.margin > 0


def test_a_resolution_scores_as_the_sentence_of_its_passage_that_holds_it():
    from indexer.find.decisions import read_in_passage

    # Los Rios minutes: a lettered heading the register's item ('5. ACTION') may not keep, then the motion
    resolution = ("A motion was made by Trustee Haynes, seconded by Trustee Johnson, that the Board of Trustees award "
                  "the contract for RFP 23007 to 3fold Communications, LLC. Roll Call Vote: Aye: Haynes, Johnson "
                  "Motion carried; 7:0")
    held = ("C. Contract Award: Annual Marketing Campaign A motion was made by Trustee Haynes, seconded by Trustee "
            "Johnson, that the Board of Trustees award the contract for RFP 23007 to 3fold Communications, LLC.")
    other = ("A motion was made by Trustee Ortiz, seconded by Trustee Johnson, that the Board of Trustees approve the "
             "grant application.")
    alone = "RESOLVED that the Board note the report."
    candidates = [("", resolution, None, ["part"]), ("", held, None, None), ("", other, None, ["part"]),
                  ("", "Agreed.", None, ["part"]), ("", "The Board agreed.", None, None),
                  ("", alone, None, ["part"]), ("", alone, None, None)]
    # the resolution held scores as its sentence under its heading does; one sharing only its opening words, one
    # too short to be known by its words ('Agreed.'), or one the sentence holds with nothing before it (read
    # with another heading, no more), keeps its own score; so does a sentence
    assert read_in_passage(candidates, [0.4, 4.4, 3.5, -3.0, 1.0, 2.0, 2.5]) == [4.4, 4.4, 3.5, -3.0, 1.0, 2.0, 2.5]
    assert read_in_passage(candidates, [5.0, 4.4, 3.5, -3.0, 1.0, 2.0, 2.5])[0] == 5.0   # never lower
    # a long discussion ending in a resolution scores for the discussion, not for what it ends in
    replaced = "It was also agreed that this Motion would replace the previous Motion and amendments."
    motion = ("On resumption of the Meeting, the following Motion, which was proposed by Councillor Collins and "
              "seconded by Councillor Sheahan, was unanimously agreed: That the Council call on the Minister not "
              f"to sell the State's shareholding in the airline. {replaced}")
    assert read_in_passage([("", replaced, None, ["part"]), ("", motion, None, None)], [1.2, 6.6]) == [1.2, 6.6]
