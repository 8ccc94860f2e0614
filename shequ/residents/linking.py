"""A resident's portal account (居民端账号) linked to their registry person, so that they can read what Shequ holds
about them (个人信息保护法 第四十五条, 查阅权).

Two ways, both audited:

* a worker who may edit the person links the account of a resident of the person's community, found by the phone
  number the resident logs in with (:func:`link_by_worker`);
* the resident links themself with their ID number and a one-time code sent to the phone the registry holds
  for that number (:func:`link_code_request`, then :func:`link_confirm`). The page answers the same whether the
  number is on the registry or not; the code is held under the account and the ID number's keyed hash (the plain
  number is never stored, not even in the session), and sending is limited per address and per account.

A person has at most one account and an account at most one person. Unlinking (by the worker or by the resident)
clears the link; anonymising a person clears it too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from shequ.accounts import phonecodes
from shequ.accounts.models import Membership, User, phone_q
from shequ.accounts.roles import Perm, Role
from shequ.audit.services import audit
from shequ.residents import identity
from shequ.residents.models import Person
from shequ.residents.visibility import check_person

PORTAL_ROLES = frozenset({Role.RESIDENT, Role.MONITOR, Role.VOLUNTEER})
LINK_CODE_TEXT = (
    "【社区】您正在将居民端账号关联本人的居民档案，验证码是{code}，{minutes}分钟内有效。如非本人操作，请忽略。"
)
LINKED_ELSEWHERE_TEXT = (
    "【社区】有人试图用您的证件号码关联居民端账号。您的居民档案已关联其他账号；如有疑问，请联系社区居委会。"
)
CODE_SENT = "如证件号码与社区登记的信息相符，验证码已发送到登记的手机号，请在10分钟内填写。"
WRONG_CODE = "验证码不正确或已过期，请重新获取。"
PURPOSE = "link"


def _find_account(person: Person, phone: str) -> User | None:
    phone = (phone or "").strip()
    if not phone:
        return None
    members = Membership.objects.filter(org=person.org, role__in=PORTAL_ROLES, is_active=True)
    return (
        User.objects.filter(phone_q(phone) | Q(username=phone), is_active=True, pk__in=members.values("user_id"))
        .order_by("pk")
        .first()
    )


def _link(person: Person, account: User) -> None:
    # A conditional update: a person linked meanwhile (or an account linked to another person, which the unique
    # constraint refuses) is not overwritten. The person's version stays: no field of its edit form changes.
    if Person.objects.filter(account=account).exists():
        raise ValidationError({"account": "该账号已关联其他居民档案，请先解除原关联。"})
    done = Person.objects.filter(pk=person.pk, account__isnull=True, anonymised_on__isnull=True).update(
        account=account, account_linked_at=timezone.now(), version=F("version")
    )
    if not done:
        raise ValidationError({"account": "该居民档案已关联居民端账号，请先解除原关联。"})
    person.account = account


def link_by_worker(*, actor: User, person: Person, phone: str) -> User:
    """Link the portal account that logs in with ``phone`` (a resident, supervisor or volunteer of the person's
    community) to ``person``. Needs the right to edit the person."""
    check_person(actor, person, Perm.EDIT_RESIDENTS)
    account = _find_account(person, phone)
    if account is None:
        raise ValidationError({"phone": f"{person.org.name}没有使用该手机号的居民端账号。请居民先在居民端注册。"})
    with transaction.atomic():
        _link(person, account)
        audit(actor, "person.link_account", person, {"org": person.org_id, "account": account.pk, "by": "worker"})
    return account


def unlink(*, actor: User, person: Person) -> None:
    """Clear the link: the linked resident themself, or a worker who may edit the person."""
    if person.account_id != actor.pk:
        check_person(actor, person, Perm.EDIT_RESIDENTS)
    with transaction.atomic():
        account_id = person.account_id
        Person.objects.filter(pk=person.pk).update(account=None, account_linked_at=None, version=F("version"))
        person.account = None
        person.account_linked_at = None
        by = "self" if account_id == actor.pk else "worker"
        audit(actor, "person.unlink_account", person, {"org": person.org_id, "account": account_id, "by": by})


def subject_of(account: User, id_number: str) -> str:
    """What the code is held under: the account and the ID number's keyed hash (raises ValidationError for a
    number that is not a valid 居民身份证 or 港澳台居民居住证 number)."""
    ident = identity.resolve(id_type="resident", raw_number=id_number, required=True)
    return f"{account.pk}:{identity.id_hash(ident.id_type, ident.number)}"


def _person_of(subject: str) -> Person | None:
    id_hash = subject.split(":", 1)[1]
    return Person.objects.filter(id_hash=id_hash, anonymised_on__isnull=True).select_related("org").first()


def link_code_request(*, request, account: User, id_number: str) -> str:
    """Step one of linking oneself: a code to the phone the registry holds for ``id_number``. The same answer
    whatever the number; returns the subject to keep (in the session) for step two."""
    if phonecodes.throttled(request, phone=f"account:{account.pk}", group="link-account"):
        raise ValidationError(phonecodes.TOO_OFTEN)
    subject = subject_of(account, id_number)
    person = _person_of(subject)
    phone = person.phone if person is not None else ""
    text = None
    if person is not None and phone:
        text = LINK_CODE_TEXT if person.account_id is None else None
    phonecodes.send(request, phone=subject, purpose=PURPOSE, text=text, to=phone or None)
    if person is not None and phone and person.account_id not in (None, account.pk):
        phonecodes.notify(phone, LINKED_ELSEWHERE_TEXT)
    return subject


def link_confirm(*, request, account: User, subject: str, code: str) -> Person:
    """Step two: the code sent for ``subject`` links the account to the person of that ID number."""
    if phonecodes.throttled(request, phone=subject, group="link-confirm"):
        raise ValidationError(phonecodes.TOO_OFTEN)
    if not subject.startswith(f"{account.pk}:") or not phonecodes.check(phone=subject, purpose=PURPOSE, code=code):
        raise ValidationError({"code": WRONG_CODE})
    person = _person_of(subject)
    if person is None:
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        _link(person, account)
        audit(account, "person.link_account", person, {"org": person.org_id, "account": account.pk, "by": "self"})
    return person
