"""The audit log's one filter definition (``AuditFilter``): the page and its htmx refresh agree (the log has no API
list); the audit ledger exports what the page lists."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shequ.audit.models import AuditLog
from shequ.testing.lists import ListUrls, error_three_ways, partial_response, rows_three_ways

URLS = ListUrls(page="/audit/", target="audit-rows", partial_template="audit/partials/rows.html")


@pytest.fixture
def log(personas):
    p = personas
    now = timezone.now()
    rows = [
        AuditLog(action="org.update", actor=p.worker_a, actor_name="社区A专干", actor_org=p.community_a),
        AuditLog(action="auth.login", actor=p.worker_a, actor_name="社区A专干", actor_org=p.grid_a, success=False),
        AuditLog(action="org.update", actor=p.worker_b, actor_name="社区B专干", actor_org=p.community_b),
        AuditLog(action="org.update", actor_name="清河镇干部", actor_org=p.community_c, object_type="orgs.org"),
        AuditLog(action="auth.login", actor_name="早先", actor_org=p.community_a, created_at=now - timedelta(days=40)),
    ]
    AuditLog.objects.bulk_create(rows)


def _names(ids):
    return {r.actor_name for r in AuditLog.objects.filter(pk__in=ids)}


def test_the_page_and_its_refresh_list_the_same_rows(personas, client_for, log):
    assert URLS.page == reverse("audit:list")
    c = client_for(personas.admin)
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    expected = [
        ({"action": "org.update"}, {"社区A专干", "社区B专干", "清河镇干部"}),
        ({"org": personas.community_a.pk}, {"社区A专干", "早先"}),
        ({"org": personas.street.pk, "action": "org.update"}, {"社区A专干", "社区B专干"}),
        ({"who": "社区A", "success": "0"}, {"社区A专干"}),
        ({"since": since, "action": "auth.login"}, {"社区A专干"}),
        ({"object_type": "orgs.org"}, {"清河镇干部"}),
    ]
    for params, names in expected:
        assert _names(rows_three_ways(c, URLS, params)) == names, params


def test_an_org_outside_the_readers_scope_lists_nothing(personas, client_for, log):
    from shequ.accounts.models import Membership
    from shequ.accounts.roles import Role

    Membership.objects.create(user=personas.worker_b, org=personas.other_street, role=Role.INSPECTOR)
    c = client_for(personas.worker_b)
    assert _names(rows_three_ways(c, URLS, {})) == {"清河镇干部"}
    assert rows_three_ways(c, URLS, {"org": personas.community_a.pk}) == []


@pytest.mark.parametrize(
    ("params", "field", "message", "typed"),
    [
        ({"since": "2025-02-30"}, "since", "输入一个有效的日期", "2025-02-30"),
        ({"action": "made.up"}, "action", "选择一个有效的选项", ""),
        ({"object_id": "第三个"}, "object_id", "输入整数", "第三个"),
        ({"success": "maybe"}, "success", "选择一个有效的选项", ""),
    ],
)
def test_an_invalid_value_is_a_chinese_error_that_keeps_what_was_typed(
    personas, client_for, log, params, field, message, typed
):
    error_three_ways(client_for(personas.admin), URLS, params, field, message, typed)


@pytest.mark.parametrize("n", [10, 1000])
def test_the_page_and_its_refresh_run_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    AuditLog.objects.bulk_create(
        AuditLog(action="org.update", actor_name=f"人{i}", actor_org=personas.community_a) for i in range(n)
    )
    c = client_for(personas.admin)
    params = {"org": personas.street.pk, "action": "org.update", "who": "人", "success": "1"}
    c.get(URLS.page)  # warm the session
    with django_assert_max_num_queries(16):
        assert c.get(URLS.page, params).context["page"].paginator.count == n
    with django_assert_max_num_queries(12):
        assert partial_response(c, URLS, params).context["page"].paginator.count == n
