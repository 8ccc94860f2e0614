"""The shipped banks are loaded by the migration and every question is answerable."""

from shequ.surveys import catalogue
from shequ.surveys.models import Bank, BankQuestion, QuestionKind


def test_health_banks_are_loaded_with_their_questions(db):
    literacy = Bank.objects.get(area__code="health", code="literacy")
    behaviour = Bank.objects.get(area__code="health", code="behaviour")
    assert 20 <= literacy.questions.count() <= 30
    assert literacy.questions.filter(kind=QuestionKind.KNOWLEDGE).count() == literacy.questions.count()
    assert behaviour.questions.filter(kind=QuestionKind.BEHAVIOUR).count() == behaviour.questions.count()


def test_every_scored_question_names_valid_correct_options_and_a_theme():
    for bank in catalogue.BANKS:
        for q in bank["questions"]:
            if q["kind"] in ("knowledge", "behaviour"):
                assert q["correct"], q["code"]
                assert all(0 <= c < len(q["options"]) for c in q["correct"]), q["code"]
                assert q["theme"], q["code"]


def test_loading_again_changes_nothing(db):
    from shequ.orgs.models import Area

    before = BankQuestion.objects.count()
    catalogue.load(Bank, BankQuestion, Area)
    assert BankQuestion.objects.count() == before
