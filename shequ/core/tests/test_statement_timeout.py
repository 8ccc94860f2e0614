"""On PostgreSQL a web request's runaway query is cancelled by the statement timeout and answers 503."""

import pytest
from django.db import OperationalError, connection, transaction
from django.test import RequestFactory

from shequ.core.middleware import StatementTimeoutMiddleware

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_query_past_the_timeout_answers_503_asking_to_narrow_the_search(settings, personas):
    settings.DB_STATEMENT_TIMEOUT = 0.2

    def slow_view(request):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT pg_sleep(3)")
        raise AssertionError("the query should have been cancelled")

    request = RequestFactory().get("/residents/")
    request.user = personas.worker_a
    middleware = StatementTimeoutMiddleware(slow_view)
    try:
        response = middleware(request)
    except OperationalError as exc:  # what Django's handler does: hand the view's exception to the middleware
        response = middleware.process_exception(request, exc)
    assert response.status_code == 503
    assert "查询超时，请缩小范围" in response.content.decode()
    with connection.cursor() as cur:
        cur.execute("SHOW statement_timeout")
        assert cur.fetchone()[0] == "200ms"


def test_other_database_errors_are_not_taken_for_a_timeout():
    middleware = StatementTimeoutMiddleware(lambda r: None)
    assert middleware.process_exception(RequestFactory().get("/"), OperationalError("disk full")) is None
