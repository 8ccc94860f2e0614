"""Every URL pattern is either public or needs login; every object URL hides other orgs' objects; every persona
narrower than its org gets, at every URL, the page or a refusal: 404 outside its scope, 403 inside it.

The URLs and what the apps say of them are in ``shequ.testing.urls``; the personas in ``shequ.testing.matrix``.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from shequ.audit.models import AuditLog
from shequ.testing import urls as matrix_urls
from shequ.testing.matrix import build_matrix_personas
from shequ.testing.urls import CHECKED, GLOBAL, INSIDERS, OBJECTS, PLAIN, PUBLIC, get_or_post

ANON_OK = {302, 401, 403, 404, 405}
_get_or_post = get_or_post  # the name other apps' scope tests import
ALLOWED = {200, 201, 204, 302}

# Cells of the matrix that are wrong today, each with why; strict: a fixed cell fails until its mark goes.
KNOWN_WRONG: dict[tuple[str, str], str] = {}


def test_every_url_is_classified():
    unnamed = [n for n, _ in CHECKED if not n or n.endswith(":")]
    assert not unnamed, "every URL pattern needs a name"
    missing = [n for n, k in CHECKED if k and n not in OBJECTS and n not in GLOBAL and n not in PUBLIC]
    assert not missing, f"object URLs without an entry in a scope_fixtures.URL_OBJECTS: {missing}"


def _anon_refused(response) -> bool:
    if response.status_code == 302:
        return "/login/" in response["Location"]
    return response.status_code in ANON_OK - {302}


@pytest.mark.parametrize("name", PLAIN)
def test_plain_url_needs_login(name, client, db):
    response = client.get(reverse(name))
    assert _anon_refused(response), f"{name} answered {response.status_code} to an anonymous visitor"


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_object_url_is_hidden_from_other_orgs(name, personas, client_for, client):
    url = reverse(name, kwargs=OBJECTS[name](personas))
    assert _anon_refused(get_or_post(client, url)), f"{name} is open to anonymous visitors"
    outsider = get_or_post(client_for(personas.worker_b), url)
    assert outsider.status_code == 404, f"{name}: worker of 社区B got {outsider.status_code}, expected 404"
    insiders = [getattr(personas, who) for who in INSIDERS.get(name, ("admin", "leader_a"))]
    insider_codes = {get_or_post(client_for(u), url).status_code for u in insiders}
    assert insider_codes & {200, 201, 204, 302}, f"{name}: nobody of 社区A could open it ({insider_codes})"
    assert not insider_codes & {404, 500}, f"{name}: people of 社区A got {insider_codes}"


@pytest.mark.parametrize("name", sorted(GLOBAL))
def test_global_url_needs_login(name, personas, client, client_for):
    url = reverse(name, kwargs=GLOBAL[name](personas))
    assert _anon_refused(client.get(url))
    assert client_for(personas.worker_b).get(url).status_code == 403


# ---- the extended matrix: every persona narrower than its org --------------------------------------------


def _expected(mp, name: str) -> set[int]:
    """The answers the persona may get at an object URL (whose object lies in 社区A)."""
    if mp.key in matrix_urls.OWNERS.get(name, ()):
        return ALLOWED
    lies = matrix_urls.REACH.get(name, "grid" if name in matrix_urls.GRID_URLS else "community")
    if not mp.sees(lies=lies, area=matrix_urls.OBJECT_AREAS.get(name)):
        # A role of 社区A that sees no office data at all may be told either.
        return {403, 404} if (mp.inside and not mp.views) else {404}
    return ALLOWED | {403} if mp.views else {403, 404}


def _writes(before: int) -> int:
    return AuditLog.objects.filter(success=True, pk__gt=before).exclude(action__startswith="auth.").count()


def _answer(client, mp, url: str) -> tuple[int, str]:
    before = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    from django.db import transaction

    with transaction.atomic():
        response = get_or_post(client, url)
        wrote = response.request["REQUEST_METHOD"] == "POST" and _writes(before)
        transaction.set_rollback(True)
    code = response.status_code
    if code == 302 and "/login/" in response["Location"]:
        return 401, "sent to the login page"
    if mp.read_only and wrote:
        return 299, "a read-only persona changed data"
    return code, ""


def _cells(names: list[str], personas, client_for, only: str | None = None) -> list[str]:
    cast = build_matrix_personas(personas)
    clients = {mp.key: client_for(mp.user) for mp in cast if only is None or mp.key == only}
    wrong = []
    for name in names:
        kwargs = OBJECTS[name](personas) if name in OBJECTS else None
        url = reverse(name, kwargs=kwargs)
        for mp in cast:
            if (only is None and (name, mp.key) in KNOWN_WRONG) or (only is not None and mp.key != only):
                continue
            code, why = _answer(clients[mp.key], mp, url)
            expected = _expected(mp, name) if kwargs is not None else _expected_plain(name)
            if code not in expected:
                wrong.append(f"{name}: {mp.label}({mp.key}) got {code} {why}, expected one of {sorted(expected)}")
    return wrong


def _expected_plain(name: str) -> set[int]:
    """A page without an object: the page, or 403 for a role without the right; never a 404."""
    return ALLOWED | {403} | ({404, 422} if name in matrix_urls.NEEDS_QUERY else set())


# One test per URL namespace: the personas and their sessions are made once for all its URLs.
MATRIX_URLS = sorted(OBJECTS) + [n for n in PLAIN if n not in matrix_urls.SESSION_URLS]


def _groups(names: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in names:
        out.setdefault(name.split(":")[0] if ":" in name else "site", []).append(name)
    return out


GROUPS = _groups(MATRIX_URLS)


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_persona_gets_the_page_or_the_right_refusal(group, personas, client_for):
    wrong = _cells(GROUPS[group], personas, client_for)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("name", "who"),
    [pytest.param(n, w, marks=pytest.mark.xfail(strict=True, reason=r)) for (n, w), r in KNOWN_WRONG.items()],
)
def test_known_wrong_cells(name, who, personas, client_for):
    wrong = _cells([name], personas, client_for, only=who)
    assert not wrong, "\n".join(wrong)


# ---- writes the GET/POST sweep cannot see ------------------------------------------------------------


def test_grid_worker_signs_in_a_resident_of_their_grid(personas):
    from shequ.records.tests.helpers import make_record
    from shequ.residents.tests.helpers import register

    person = register(personas.worker_a, personas.community_a, name="网格居民", grid=personas.grid_a)
    record = make_record(
        personas.grid_a_worker, personas.grid_a, area="safety", code="visit", on=date(2025, 3, 5), persons=[person]
    )
    assert list(record.persons.all()) == [person]


def test_health_worker_cannot_link_a_safety_record_as_task_evidence(personas, client_for):
    from shequ.plans.models import Task
    from shequ.records.tests.helpers import make_record
    from shequ.testing.matrix import build_matrix_personas

    health = next(mp.user for mp in build_matrix_personas(personas) if mp.key == "health_a")
    safety_record = make_record(
        personas.worker_a, personas.community_a, area="safety", code="legal_publicity", title="夜间巡逻"
    )
    task = Task.objects.create(org=personas.community_a, title="开展巡逻", year=2025, due=date(2025, 6, 30))
    client_for(health).post(reverse("plans:task_evidence", args=[task.pk]), {"record": safety_record.pk})
    assert not task.evidence.exists()
    page = client_for(health).get(reverse("plans:task_detail", args=[task.pk]))
    assert "夜间巡逻" not in page.content.decode()
