"""Classification of the letters' URLs for the authorization matrix (see core/tests/test_authorization_matrix)."""

from __future__ import annotations


def _letter(p, code: str = "safety-goals", scanned: bool = False):
    """社区A's letter of ``code`` from the street, signed by drawing or by a scan (made once)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from shequ.letters import services
    from shequ.letters.models import Letter
    from shequ.letters.tests.helpers import drawn, kind

    found = Letter.objects.filter(holder_org=p.community_a, kind__code=code).first()
    if found is not None:
        return found
    year = date.today().year
    on = date(year, 1, 1)
    letter = services.issue(actor=p.admin, kind=kind(code), year=year, issuer=p.street, orgs=[p.community_a],
                            issued_on=on, due_on=date(year, 2, 28))[0]  # fmt: skip
    if scanned:
        scan = SimpleUploadedFile("签字版.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", "application/pdf")
        services.sign(actor=p.admin, letter=letter, signer_name="书记", signed_on=on, scan=scan)
    else:
        services.sign(actor=p.admin, letter=letter, signer_name="书记", signed_on=on, drawn=drawn())
    return letter


def _pk(p):
    return {"pk": _letter(p).pk}


def _scanned(p):
    return {"pk": _letter(p, "fire-safety", scanned=True).pk}


URL_OBJECTS = {
    "letters:detail": _pk,
    "letters:sign": _pk,
    "letters:signature": _pk,
    "letters:scan": _scanned,
    "api:get_letter": lambda p: {"letter_id": _letter(p).pk},
}

# Issuing needs ?kind=&issuer= or ?parent=: without them it is a 404 for everyone.
NEEDS_QUERY = {"letters:issue"}

# The letters lie in 社区A in the safety line of work: area-bound staff of other lines get 404.
AREA = "safety"
