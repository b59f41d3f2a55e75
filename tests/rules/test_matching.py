"""Best fit as plain rules: what counts, in what order, and how each reason reads. No Flask, no database."""
import pytest

from portal.core import reference
from portal.rules import matching
from portal.rules.eligibility import REASONS

MENTEE = matching.Seeker(tags=frozenset({"parental_leave"}), school="Paediatrics", specialty="neonatology",
                         grade="ST3", trust="leeds teaching hospitals nhs trust", locations=frozenset({"york"}),
                         mode="in_person", days=frozenset({"mon"}))
NOTHING_IN_COMMON = matching.Offer(tags=frozenset({"caring"}), school="Surgery", specialty="Urology", grade="ST3",
                                   trust="Hull University Teaching Hospitals NHS Trust", locations=frozenset({"hull"}),
                                   meets_in_person=False, meets_online=True, slots=("tue-evening",))


def offer(**changes) -> matching.Offer:
    return matching.Offer(**{**vars(NOTHING_IN_COMMON), **changes})


@pytest.mark.parametrize("changes, fits, words", [
    ({}, [], []),
    ({"tags": frozenset({"caring", "parental_leave"})}, ["away"], ["Also took parental leave"]),
    ({"school": "Paediatrics"}, ["school"], ["Paediatrics"]),
    ({"specialty": " Neonatology "}, ["specialty"], [" Neonatology "]),
    ({"grade": "ST4"}, ["grade"], ["ST4: 1 step ahead of you"]),
    ({"grade": "ST6"}, ["grade"], ["ST6: 3 steps ahead of you"]),
    ({"grade": "ST7"}, [], []),  # four steps is not a near-peer
    ({"grade": "CT3"}, [], []),  # the same level
    ({"grade": "ST2"}, [], []),  # behind
    ({"trust": "Leeds Teaching Hospitals NHS Trust"}, ["location"], ["Works at your trust"]),
    ({"locations": frozenset({"york"})}, [], []),  # a location counts only if they meet face to face
    ({"locations": frozenset({"york"}), "meets_in_person": True}, ["location", "mode"],
     ["Meets face to face in York", "Meets face to face"]),
    ({"meets_in_person": True}, ["mode"], ["Meets face to face"]),
    ({"slots": ("mon-morning", "mon-evening", "wed-morning")}, ["day"], ["Meets on Monday mornings and evenings"]),
])
def test_what_counts_and_how_it_reads(changes, fits, words):
    mentor = offer(**changes)
    assert matching.fits(MENTEE, mentor) == fits
    assert matching.reasons(MENTEE, mentor) == words
    assert matching.score(MENTEE, mentor) == sum(matching.WEIGHTS[key] for key in fits)


def test_each_thing_counts_for_more_than_the_ones_after_it_and_time_away_most():
    weights = list(matching.WEIGHTS.values())
    assert list(matching.WEIGHTS) == ["away", "school", "specialty", "grade", "location", "mode", "day"]
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == len(weights)
    assert matching.WEIGHTS["away"] > matching.WEIGHTS["specialty"] + matching.WEIGHTS["day"]


def test_a_card_shows_the_three_most_telling_reasons():
    everything = offer(tags=frozenset({"parental_leave"}), school="Paediatrics", specialty="Neonatology", grade="ST5",
                       trust="Leeds Teaching Hospitals NHS Trust", meets_in_person=True, slots=("mon-evening",))
    assert matching.fits(MENTEE, everything) == list(matching.WEIGHTS)
    assert matching.reasons(MENTEE, everything) == ["Also took parental leave", "Paediatrics", "Neonatology"]
    assert matching.score(MENTEE, everything) == sum(matching.WEIGHTS.values())


def test_nothing_about_a_mentee_is_assumed_when_they_have_not_said():
    someone = matching.Seeker(grade="Other")
    everything = offer(school="", specialty="", trust="", meets_in_person=True)
    assert matching.fits(someone, everything) == []


@pytest.mark.parametrize("reason, added, tags", [
    ("parental_leave", [], {"parental_leave"}),
    ("out_of_programme", ["caring", "ltft"], {"out_of_programme", "caring", "ltft"}),
    ("other", [], set()),
    ("other", ["phased_return", "not-a-tag"], {"phased_return"}),
    ("sick_leave", ["sick_leave"], {"sick_leave"}),
])
def test_a_mentees_time_away_is_their_reason_and_what_they_added(reason, added, tags):
    assert matching.tags_of(reason, added) == tags


@pytest.mark.parametrize("grade, ahead", [
    ("F1", ["F2", "CT1", "CT2", "ST1", "ST2", "DFT", "DCT1", "DCT2"]),
    ("ST3", ["ST4", "ST5", "ST6", "StR (dental)"]),
    ("DCT1", ["CT2", "CT3", "ST2", "ST3", "ST4", "DCT2", "DCT3", "StR (dental)"]),
    ("ST8", []),
    ("Other", []),
])
def test_grades_one_to_three_steps_ahead(grade, ahead):
    assert matching.grades_ahead(grade) == ahead


def test_every_kind_of_time_away_has_words_and_every_sign_up_reason_a_tag_or_none():
    assert set(matching.ALSO) == set(reference.TIME_AWAY)
    assert set(matching.REASON_TAGS) <= set(REASONS) and set(matching.REASON_TAGS.values()) <= set(reference.TIME_AWAY)
