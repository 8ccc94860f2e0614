"""Classification of the surveys' URLs for the authorization matrix (see core/tests/test_authorization_matrix).

The residents' side (/p/s/) is public: a personal link's token or an open survey's token is the key."""

from __future__ import annotations

PUBLIC_URLS: set[str] = {"survey_public:open", "survey_public:personal"}


def _survey(p):
    from shequ.surveys import services
    from shequ.surveys.tests.helpers import health_survey, registry

    registry(p.community_a, households=2, members=1)
    survey = health_survey(p.worker_a, p.community_a, knowledge=2, behaviour=1)
    services.draw_sample(actor=p.worker_a, survey=survey, size=2, seed=1)
    return survey


def _pk(p):
    return {"pk": _survey(p).pk}


def _numbered(p):
    return {"pk": _survey(p).pk, "number": 1}


def _response(p):
    from shequ.surveys import services
    from shequ.surveys.tests.helpers import respond

    survey = _survey(p)
    services.survey_open(actor=p.worker_a, survey=survey)
    return {"pk": respond(p.worker_a, survey, survey.respondents.get(number=1), {1: True}).pk}


URL_OBJECTS = {
    "surveys:detail": _pk,
    "surveys:sample": _pk,
    "surveys:staff": _pk,
    "surveys:status": lambda p: {"pk": _survey(p).pk, "action": "open"},
    "surveys:question_add": _pk,
    "surveys:question_remove": _numbered,
    "surveys:mark": _numbered,
    "surveys:enter": _numbered,
    "surveys:paper": _pk,
    "surveys:import": _pk,
    "surveys:links": _pk,
    "surveys:results": _pk,
    "surveys:answers": _pk,
    "surveys:response": _response,
    "api:get_survey": lambda p: {"survey_id": _survey(p).pk},
    "api:get_results": lambda p: {"survey_id": _survey(p).pk},
    "api:list_responses": lambda p: {"survey_id": _survey(p).pk},
    # The same address: a GET lists the responses, a POST enters one.
    "api:create_response": lambda p: {"survey_id": _survey(p).pk},
}

# The objects lie in 社区A in the health line of work: area-bound staff of other lines get 404.
AREA = "health"
