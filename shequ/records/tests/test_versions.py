"""Lost updates on records: a stale edit form is refused with what changed and keeps what was typed."""

from __future__ import annotations

import pytest

from shequ.accounts.roles import Role
from shequ.records.tests.helpers import make_record
from shequ.testing.factories import member
from shequ.testing.forms import form_values

pytestmark = pytest.mark.django_db


def test_stale_record_form_is_refused_with_what_changed(personas, client_for):
    other = member(personas.community_a, Role.WORKER, username="p_worker_a2", name="社区A另一专干")
    record = make_record(personas.worker_a, personas.community_a, title="控烟宣传", place="服务站门口")
    url = f"/records/{record.pk}/edit/"
    c1, c2 = client_for(personas.worker_a), client_for(other)
    form1 = form_values(c1.get(url).content.decode())
    form2 = form_values(c2.get(url).content.decode())

    assert c1.post(url, {**form1, "place": "幸福小区广场"}).status_code == 302
    response = c2.post(url, {**form2, "summary": "群众反响良好"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "地点：服务站门口 → 幸福小区广场" in page
    assert "群众反响良好" in page
    record.refresh_from_db()
    assert (record.place, record.summary) == ("幸福小区广场", "")

    again = form_values(page)
    assert c2.post(url, again).status_code == 302
    record.refresh_from_db()
    assert record.summary == "群众反响良好"
