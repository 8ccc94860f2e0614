"""Classification of the cases URLs for the authorization matrix (see core/tests/test_authorization_matrix)."""

from __future__ import annotations

PUBLIC_URLS: set[str] = set()


def _case(p, code: str = "dispute", **kw):
    from shequ.cases.tests.helpers import make_case

    return make_case(p.worker_a, p.community_a, code, **kw)


def _pk(p):
    return {"pk": _case(p).pk}


def _opinion_pk(p):
    return {"pk": _case(p, "opinion").pk}


def _file(p):
    from shequ.cases.tests.helpers import image_upload

    return {"pk": _case(p, files=[image_upload()]).attachments.get().pk}


def _limit(p):
    from shequ.cases import services
    from shequ.cases.tests.helpers import ctype

    row = services.time_limit_set(
        actor=p.leader_a,
        case_type=ctype("dispute"),
        org=p.community_a,
        accept_hours=12,
        handle_days=10,
        yellow_days=2,
        red_days=5,
    )
    return {"pk": row.pk}


def _api(p):
    return {"case_id": _case(p).pk}


URL_OBJECTS = {
    "cases:detail": _pk,
    "cases:edit": _pk,
    "cases:move": lambda p: {"pk": _case(p).pk, "action": "accept"},
    "cases:entry": _pk,
    "cases:reply": _opinion_pk,
    "cases:board": _opinion_pk,
    "cases:board_public": _opinion_pk,
    "cases:file": _file,
    "cases:limit_clear": _limit,
    "api:case_get": _api,
    "api:case_moves": _api,
    "api:case_move": _api,
    "api:case_entries": _api,
    "api:case_entry_add": _api,
}

# Clearing a time limit deletes it: only its org's leader tries (the administrator would find it gone).
URL_INSIDERS = {"cases:limit_clear": ("leader_a",)}

# The extended matrix: a dispute is a case of 平安建设, an opinion one of 居民自治; time limits are of no line.
AREA = "safety"
URL_AREAS = {
    "cases:reply": "selfgov",
    "cases:board": "selfgov",
    "cases:board_public": "selfgov",
    "cases:limit_clear": None,
}
NEEDS_QUERY = {"api:case_screening"}
