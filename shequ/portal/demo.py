"""The demo resident's own data: the ``resident`` account linked to a registry person of 幸福社区 who signed in at
the year's activities and courses, with a worker's link and a leader's look at the whole ID number on record
(idempotent)."""

from __future__ import annotations

from django.db.models import Count

from shequ.accounts.models import User
from shequ.core.pinyin import name_pinyin
from shequ.residents import linking
from shequ.residents import services as resident_services
from shequ.residents.models import Person


def step(ctx, options) -> None:
    account = ctx.users.get("resident") or User.objects.filter(username="resident").first()
    community = ctx.orgs.get("communityA")
    if account is None or community is None or Person.objects.filter(account=account).exists():
        return
    person = (
        Person.objects.filter(
            org=community,
            household__isnull=False,
            is_deceased=False,
            moved_out_on__isnull=True,
            anonymised_on__isnull=True,
            account__isnull=True,
            special_groups__isnull=True,  # someone under care: their visits' titles name them
            disability__isnull=True,
        )
        .exclude(id_cipher="")
        .annotate(signed=Count("records"))
        .order_by("-signed", "pk")
        .first()
    )
    if person is None:
        return
    # The registry's row takes the demo account's name and phone, so that the resident can also unlink and link
    # themself again with the ID number and the code sent to their (demo) phone.
    pinyin, initials = name_pinyin(account.name)
    person.name, person.name_pinyin, person.name_initials = account.name, pinyin, initials
    person.phone = account.phone
    person.save(update_fields=["name", "name_pinyin", "name_initials", "phone_cipher", "phone_hash", "phone_tail"])
    linking.link_by_worker(actor=ctx.users["a_worker"], person=person, phone=account.phone)
    resident_services.person_reveal_id(actor=ctx.users["a_leader"], person=person)
    if not options.get("quiet"):
        print(f"居民端：演示账号 resident 已关联居民档案“{person.name}”（签到 {person.signed} 次）。")
