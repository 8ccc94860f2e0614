"""Classification of the documents' URLs for the authorization matrix (see core/tests/test_authorization_matrix)."""

from __future__ import annotations


def _document(p):
    from datetime import date

    from shequ.documents.models import Document
    from shequ.documents.tests.helpers import document

    found = Document.objects.filter(org=p.community_a).first()
    return found or document(p.worker_a, p.community_a, adopted=date.today())


def _pk(p):
    return {"pk": _document(p).pk}


URL_OBJECTS = {
    "documents:detail": _pk,
    "documents:version": _pk,
    "documents:withdraw": _pk,
    "documents:file": _pk,
}

# The documents lie in 社区A in the health line of work: area-bound staff of other lines get 404.
AREA = "health"
