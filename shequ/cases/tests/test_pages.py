from django.urls import reverse

from shequ.cases import services
from shequ.cases.tests.helpers import accept, ctype, image_upload, make_case


def test_every_worker_and_portal_page_renders_for_its_users(personas, client_for):
    p = personas
    c = make_case(p.worker_a, p.community_a, files=[image_upload()])
    h = make_case(p.worker_a, p.community_a, "hazard")
    o = services.case_report(
        actor=p.resident,
        case_type=ctype("opinion"),
        org=p.community_a,
        title="路灯坏了",
        description="<script>alert(1)</script>",
        category="建议",
        photos=[image_upload()],
    )
    accept(c, p.leader_a, owner=p.worker_a)
    accept(o, p.leader_a, owner=p.worker_a)
    services.case_move(actor=p.worker_a, case=o, action="resolve", result="已修好", public_reply="已联系物业修好路灯")
    cl = client_for(p.leader_a)
    for url in [
        reverse("cases:inbox"),
        reverse("cases:detail", args=[c.pk]),
        reverse("cases:detail", args=[h.pk]),
        reverse("cases:detail", args=[o.pk]),
        reverse("cases:dashboard"),
        reverse("cases:screening"),
        reverse("cases:ledgers"),
        reverse("cases:limits"),
        reverse("cases:create"),
        reverse("cases:create") + "?type=dispute",
        reverse("cases:create") + "?type=referral",
        reverse("cases:edit", args=[c.pk]),
        reverse("ledgers:export", args=["disputes", p.community_a.pk, c.year, "xlsx"]),
        reverse("ledgers:export", args=["hazards", p.community_a.pk, c.year, "docx"]),
        reverse("ledgers:export", args=["mediation", p.community_a.pk, c.year, "docx"]) + f"?case={c.pk}",
        reverse("dashboard"),
    ]:
        r = cl.get(url)
        assert r.status_code == 200, (url, r.status_code, r.content[:3000])
    anon = client_for(None)
    r = anon.get(reverse("portal:board", args=[p.community_a.pk]))
    assert r.status_code == 200 and "已联系物业修好路灯" in r.content.decode()
    assert "<script>alert(1)" not in r.content.decode()
    rc = client_for(p.resident)
    for url in [
        reverse("portal:mine"),
        reverse("portal:case", args=[o.pk]),
        reverse("portal:new"),
        reverse("portal:home"),
    ]:
        r = rc.get(url)
        assert r.status_code == 200, (url, r.status_code, r.content[:3000])
