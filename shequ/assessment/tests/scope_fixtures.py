"""Classification of the assessment's URLs for the authorization matrix (see core/tests/test_authorization_matrix)."""

from __future__ import annotations


def _assessment(p):
    from shequ.assessment import services
    from shequ.assessment.models import Assessment

    found = Assessment.objects.filter(org=p.community_a, year=2026).first()
    if found is None:
        services.start(actor=p.admin, top=p.street, year=2026)
        found = Assessment.objects.get(org=p.community_a, year=2026)
    return found


URL_OBJECTS = {"assessment:detail": lambda p: {"pk": _assessment(p).pk}}
# An assessment spans every line of work: a 专干 sees the lines they hold.
AREA = None
