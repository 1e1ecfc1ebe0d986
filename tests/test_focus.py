"""What a question says about where to look: bodies, months, years and document types the index holds."""

from __future__ import annotations

from indexer.find.focus import Focus, as_indexed, names_as_asked, read_focus

BODIES = ["Kent County Council - Cabinet", "Kent County Council - Full Council", "Suffolk Libraries",
          "Health and Wellbeing Together", "Limerick City and County Council"]
TYPES = ["minutes", "agenda", "report", "reports pack"]


def test_a_body_and_a_month_named_in_the_question():
    focus = read_focus("What did Cabinet resolve on the budget in March 2025?", BODIES, TYPES)
    assert focus == Focus(bodies=("Kent County Council - Cabinet",), month="2025-03")
    assert focus.describe() == "Cabinet, March 2025"
    f = focus.filters()
    assert (f.body, f.date_from, f.date_to) == (("Kent County Council - Cabinet",), "2025-03-01", "2025-03-31")


def test_the_longest_name_wins_and_a_generic_word_alone_names_no_body():
    assert read_focus("What did Kent County Council agree?", BODIES, TYPES).bodies == (
        "Kent County Council - Cabinet", "Kent County Council - Full Council")
    assert read_focus("What did the council decide about parking?", BODIES, TYPES) == Focus()
    assert read_focus("Did Suffolk Libraries adopt the plan?", BODIES, TYPES).bodies == ("Suffolk Libraries",)


def test_a_body_known_by_its_initials_is_named_in_full_or_by_its_first_words():
    bodies = ["SJUSD", "FOWD", "Kent County Council - Cabinet"]
    assert read_focus("What did the San Juan Unified board decide in June 2024?", bodies, []).bodies == ("SJUSD",)
    assert read_focus("Which firm audits Fair Oaks Water District's accounts?", bodies, []).bodies == ("FOWD",)
    assert read_focus("What did the FOWD board approve?", bodies, []).bodies == ("FOWD",)
    # two initials are too few, and words that spell no body's initials name none
    assert read_focus("What did Fair Oaks residents say?", bodies, []).bodies == ()
    assert read_focus("what did san juan unified decide?", bodies, []).bodies == ()   # names are capitalised
    assert read_focus("What did the water board decide?", bodies, []).bodies == ()


def test_a_body_spelled_out_is_searched_for_by_the_name_the_index_holds():
    bodies = ["SJUSD", "FOWD", "Kent County Council - Cabinet"]
    assert as_indexed("Did the Fair Oaks Water District board adopt its budget?", bodies) == \
        "Did the FOWD board adopt its budget?"
    assert as_indexed("What did the San Juan Unified board decide in June 2024?", bodies) == \
        "What did the SJUSD board decide in June 2024?"
    # a name the index holds as it is written, or words that spell no body, are left as they are
    assert as_indexed("What did Cabinet agree in March?", bodies) == "What did Cabinet agree in March?"
    assert as_indexed("What did Fair Oaks residents say?", bodies) == "What did Fair Oaks residents say?"


def test_a_year_alone_steers_nothing():
    # measured: a year names a budget or the year a decision applies to as often as the meeting's
    assert read_focus("What was agreed at the 2013 AGM?", BODIES, TYPES) == Focus()
    assert read_focus("What is the 2024/25 budget gap?", BODIES, TYPES) == Focus()


def test_a_month_the_subject_runs_from_to_or_for_is_not_the_meetings():
    # the pay rise agreed in March for staff from April; accounts for the year to March, approved later
    assert read_focus("What pay rise did Suffolk Libraries agree for staff from April 2014?", BODIES, TYPES).month is None
    assert read_focus("What funding do the accounts for the year to 31 March 2015 show?", BODIES, TYPES).month is None
    assert read_focus("What borrowing is shown for March 2024 and March 2025?", BODIES, TYPES).month is None
    # another month named is the meeting's; a month after 'to the' or 'in' is a meeting's
    assert read_focus("What was payroll for May 2022, as reported in June 2022?", BODIES, TYPES).month == "2022-06"
    assert read_focus("What went to the March 2025 meeting of Cabinet?", BODIES, TYPES).month == "2025-03"
    assert read_focus("Did the board in January 2020 put off the election until July 2020?", BODIES,
                      TYPES).month == "2020-01"


def test_document_types_the_index_holds():
    focus = read_focus("What do the minutes of the Board say about the library?", BODIES, TYPES)
    assert focus.doc_types == ("minutes",) and focus.describe() == "minutes"
    assert read_focus("Which reports went to Cabinet?", BODIES, TYPES).doc_types == ("report",)
    assert read_focus("What was said under agenda item 7?", BODIES, TYPES).doc_types == ()
    assert read_focus("What did the draft report recommend?", BODIES, TYPES).doc_types == ()
    # a possessive names the body's own thing ('adopt its budget'), unless it follows a preposition
    types = [*TYPES, "budget"]
    assert read_focus("Did the board adopt its budget for 2025?", BODIES, types).doc_types == ()
    assert read_focus("What did Cabinet spend against their budget?", BODIES, types).doc_types == ()
    assert read_focus("What does Suffolk Libraries say in its minutes?", BODIES, types).doc_types == ("minutes",)
    # papers of no known type are 'other', a word a question uses for something else
    assert read_focus("Who was elected, and what happened to the other nomination?", BODIES,
                      [*TYPES, "other"]).doc_types == ()


def test_a_meetings_agenda_or_minutes_named_by_its_meeting():
    bodies = [*BODIES, "Tintern Community Council"]
    for question in ("What road safety measure did Tintern Community Council put on its May 2018 agenda?",
                     "Which planning application was on the TCC agenda in September 2021?",
                     "What was on Tintern Community Council's January 2018 agenda?",
                     "According to Limerick City and County Council's July 2016 minutes, what did the fire service cost?",
                     "What did the Cabinet's 13 March 2025 minutes record?"):
        assert read_focus(question, bodies, TYPES).doc_types in (("agenda",), ("minutes",)), question
    # a paper named by what it is about, or with a word that names no meeting, is not the meeting's
    assert read_focus("Did the board agree to put the idea on a future agenda?", bodies, TYPES).doc_types == ()
    assert read_focus("What did Cabinet say about the 2025 report?", bodies, TYPES).doc_types == ()


def test_a_named_paper_the_index_lacks_for_that_meeting_leaves_the_meeting_to_steer(demo_index):
    # the demo pack is the only paper: of October 2020, carrying the July 2020 minutes
    held = demo_index.focus("What did the reports pack of the July 2020 meeting say about the forward plan?")
    assert held.month == "2020-07" and held.doc_types == ("reports pack",)
    lacking = demo_index.focus("What did the reports pack of the May 2019 meeting say about the forward plan?")
    assert lacking.month == "2019-05" and lacking.doc_types == ()


def test_holds_checks_body_date_and_type():
    focus = read_focus("What did Cabinet decide in March 2025?", BODIES, TYPES)
    assert focus.holds("Kent County Council - Cabinet", "2025-03-13", "minutes")
    assert not focus.holds("Kent County Council - Cabinet", "2025-04-01", "minutes")
    assert not focus.holds("Suffolk Libraries", "2025-03-13", "minutes")


def test_search_steers_towards_the_named_meeting_and_can_be_told_not_to(demo_index):
    question = "What was resolved about the forward plan at the July 2020 meeting?"
    focus = demo_index.focus(question)
    assert focus.month == "2020-07" and focus.describe() == "July 2020"
    steered = demo_index.search(question, k=5)
    assert steered[0].meeting_date == "2020-07-08"
    everywhere = demo_index.search(question, k=5, steer=False)
    assert {h.chunk_id for h in everywhere} and len(everywhere) == 5


def test_a_body_spelled_out_is_known_with_the_words_the_question_uses():
    bodies = ["SJUSD", "FOWD", "Kent County Council - Cabinet"]
    assert names_as_asked("Did the Fair Oaks Water District board adopt its budget?", bodies) == \
        {"FOWD": ("FOWD", "Fair Oaks Water District")}
    assert names_as_asked("What did the FOWD board approve?", bodies) == {}
    assert names_as_asked("What did Cabinet agree in March?", bodies) == {}


def test_a_body_named_by_its_first_words_and_the_initials_of_the_rest_is_understood():
    bodies = ["Limerick City and County Council", "Home and Social Development Strategic Policy Committee",
              "Home & Social Development Strategic Policy Committee",
              "Joint Policing Committee", "Kent County Council - Cabinet", "Open Data User Group"]
    asked = "What did Limerick's Home & Social Development SPC agree in March 2025 about boilers?"
    focus = read_focus(asked, bodies, [])
    assert focus.bodies == ("Home and Social Development Strategic Policy Committee",
                            "Home & Social Development Strategic Policy Committee")
    assert focus.describe() == "Home and Social Development Strategic Policy Committee, March 2025"
    assert as_indexed(asked, bodies) == \
        "What did Limerick's Home and Social Development Strategic Policy Committee agree in March 2025 about boilers?"
    # initials alone, in capitals, name a body too; a part of its name names all the bodies sharing it
    assert read_focus("What did the JPC hear about burglaries?", bodies, []).bodies == ("Joint Policing Committee",)
    assert read_focus("What did ODUG say in 2013?", bodies, []).bodies == ("Open Data User Group",)
    assert read_focus("What was on the JPC's agenda?", bodies, []).bodies == ("Joint Policing Committee",)
    assert read_focus("Did Kent CC's Cabinet agree?", bodies, []).bodies == ("Kent County Council - Cabinet",)
    # a body whose name has parts is named the more the more of its parts the question names
    kent = ["Kent County Council - Full Council", "Kent County Council - Cabinet"]
    assert read_focus("What did Kent County Council's Cabinet agree?", kent, []).bodies == \
        ("Kent County Council - Cabinet",)
    assert read_focus("What did Kent CC's Cabinet agree?", kent, []).bodies == ("Kent County Council - Cabinet",)
    assert read_focus("What did Kent County Council agree?", kent, []).bodies == tuple(kent)
    assert read_focus("How much will KCC save?", bodies, []).bodies == ("Kent County Council - Cabinet",)
    assert names_as_asked("How much will KCC save?", bodies) == {}   # papers write 'KCC' too
    # in lower case, or with the written-out words naming no body in particular, they do not
    assert read_focus("Was the jpc told?", bodies, []).bodies == ()
    assert read_focus("What did the Council SPC decide?", bodies, []).bodies == ()
    assert read_focus("How does the HSD plan work?", bodies, []).bodies == ()
