"""A read replica (DATABASE_REPLICA_URL): the pages that may be seconds stale read it, everything else and every
page just after a write read the primary. The replica here is a second connection to the test database, as the
settings make it in a test run (a mirror); the tests commit, so that the second connection sees their rows."""

from __future__ import annotations

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shequ.core.replica import PIN_COOKIE, REPLICA, ReplicaRouter, _reads, configured

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def replica():
    """The ``replica`` alias, a second connection to the test database (what ``TEST: MIRROR`` sets up)."""
    connections.settings[REPLICA] = {
        **connections.settings["default"], "TEST": {"MIRROR": "default"}, "CONN_MAX_AGE": None
    }  # fmt: skip
    try:
        conn = connections[REPLICA]
        conn.connect()  # opened here, kept open: the test case lets through only the connections it knows of
        yield conn
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def _reads_of(url_client, url):
    """(status, queries on the primary, queries on the replica) of one GET."""
    with CaptureQueriesContext(connection) as primary, CaptureQueriesContext(connections[REPLICA]) as rep:
        response = url_client.get(url)
    return response.status_code, len(primary), len(rep)


def test_the_workbench_and_the_overview_read_the_replica_and_other_pages_the_primary(personas, client_for, replica):
    client = client_for(personas.leader_a)
    status, _primary, on_replica = _reads_of(client, reverse("dashboard"))
    assert status == 200 and on_replica > 5  # the workbench's figures
    status, _primary, on_replica = _reads_of(client, reverse("plans:overview"))
    assert status == 200 and on_replica > 0
    status, _primary, on_replica = _reads_of(client, reverse("records:list"))
    assert status == 200 and on_replica == 0  # a list a worker checks after saving: always the primary


def test_after_a_write_the_same_browser_reads_the_primary_for_a_while(personas, client_for, replica, settings):
    client = client_for(personas.leader_a)
    response = client.post(reverse("records:create"), {})  # refused (nothing typed), still a write attempt
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS
    status, primary, on_replica = _reads_of(client, reverse("dashboard"))
    assert status == 200 and primary > 5 and on_replica == 0
    client.cookies.pop(PIN_COOKIE)  # the pin has run out
    assert _reads_of(client, reverse("dashboard"))[2] > 0


def test_reads_inside_a_write_go_to_the_primary_and_without_a_replica_nothing_moves(personas):
    router = ReplicaRouter()
    assert not configured() and router.db_for_read(None) is None
    token = _reads.set(REPLICA)
    try:
        assert router.db_for_read(None) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(None) is None  # it must see what it has just written
    finally:
        _reads.reset(token)
    assert router.db_for_write(None) == "default" and router.allow_migrate(REPLICA, "records") is False
