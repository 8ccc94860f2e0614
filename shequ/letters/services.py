"""Every write to responsibility letters: issue a level's letters, and sign one (a drawn signature or the scan of
the signed paper). A letter once signed stays signed: the signature is the record."""

from __future__ import annotations

import base64
import binascii
import io
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core.uploads import IMAGES, check_upload
from shequ.letters.models import Holders, Letter, LetterKind, SignedBy
from shequ.orgs.models import Org, OrgKind

MAX_SCAN_BYTES = 20 * 1024 * 1024
MAX_SIGNATURE_BYTES = 2 * 1024 * 1024
SCAN_KINDS = IMAGES | {"pdf"}


def holder_orgs(issuer: Org):
    """The orgs a letter of ``issuer`` may be issued to: its active children, grids left out."""
    return Org.objects.filter(parent=issuer, is_active=True).exclude(kind=OrgKind.GRID).order_by("sort", "path")


def issuer_of_next(letter: Letter) -> Org | None:
    """Who issues the level below ``letter``: the org that holds it; for people, the school that keeps them all.
    None when there is no level below (the last role, or an org with no orgs under it)."""
    kind = letter.kind
    if kind.holders == Holders.PEOPLE:
        return letter.org if letter.level < len(kind.roles) else None
    return letter.holder_org


def may_issue(actor: User, kind: LetterKind, issuer: Org) -> bool:
    return access.can(actor, issuer, Perm.RECORD_WORK, kind.area_id)


def may_sign(actor: User, letter: Letter) -> bool:
    """The holder org's staff sign for it; the issuing org's staff (and a people letter's school) record a
    signature made in front of them or the scan of the signed paper."""
    area = letter.area_id
    orgs = [o for o in (letter.holder_org, letter.org, letter.issuer) if o is not None]
    return any(access.can(actor, o, Perm.RECORD_WORK, area) for o in orgs)


def _people(lines: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    out, seen = [], set()
    for n, (name, labels) in enumerate(lines, start=1):
        name, labels = name.strip(), labels.strip()
        if not name:
            raise ValidationError({"people": f"第{n}行没有姓名。"})
        if len(name) > 50 or len(labels) > 60:
            raise ValidationError({"people": f"第{n}行过长（姓名不超过50字，年级/班级不超过60字）。"})
        if (name, labels) in seen:
            raise ValidationError({"people": f"第{n}行“{name} {labels}”重复了。"})
        seen.add((name, labels))
        out.append((name, labels))
    return out


def issue(
    *,
    actor: User,
    kind: LetterKind,
    year: int,
    issuer: Org,
    issued_on: date,
    due_on: date,
    parent: Letter | None = None,
    orgs: Sequence[Org] = (),
    people: Sequence[tuple[str, str]] = (),
) -> list[Letter]:
    """Issue ``kind``'s letters of one level: to ``orgs`` (children of ``issuer``) or to ``people`` ((name,
    grade/class) pairs, in the role of the level), under ``parent`` when it is not the first level."""
    if parent is not None:
        if kind.holders == Holders.PEOPLE and parent.level >= len(kind.roles):
            raise ValidationError(f"{kind.name}只签到{kind.roles[-1]}一级。")
        if parent.kind_id != kind.pk or parent.year != year or issuer_of_next(parent) != issuer:
            raise ValidationError("上一级责任书与本次签订不一致。")
    if not may_issue(actor, kind, issuer):
        access.check(actor, issuer, Perm.RECORD_WORK, kind.area)
    if due_on < issued_on:
        raise ValidationError({"due_on": "签订期限不能早于发出日期。"})
    if issued_on.year != year:
        raise ValidationError({"issued_on": f"发出日期应在{year}年内。"})
    level = parent.level + 1 if parent is not None else 1
    common = {"kind": kind, "year": year, "area": kind.area, "issuer": issuer, "parent": parent, "level": level,
                  "issued_on": issued_on, "due_on": due_on, "issued_by": actor}  # fmt: skip
    if kind.holders == Holders.ORGS:
        if not orgs:
            raise ValidationError({"orgs": "请选择签订责任书的单位。"})
        allowed = set(holder_orgs(issuer).values_list("pk", flat=True))
        if any(o.pk not in allowed for o in orgs):
            raise ValidationError({"orgs": f"只能与“{issuer.name}”的下级单位签订。"})
        taken = list(
            Letter.objects.filter(kind=kind, year=year, holder_org__in=orgs).values_list("holder_org__name", flat=True)
        )
        if taken:
            raise ValidationError({"orgs": f"{'、'.join(taken)}已签有{year}年{kind.name}。"})
        letters = [Letter(org=o, holder_org=o, holder_name=o.name, holder_role=o.kind_label, **common) for o in orgs]
    else:
        if level > len(kind.roles):
            raise ValidationError(f"{kind.name}只签到{kind.roles[-1]}一级。")
        rows = _people(people)
        if not rows:
            raise ValidationError({"people": "请填写签订责任书的人员，每行一人。"})
        role = kind.roles[level - 1]
        names = [n for n, _l in rows]
        existing = Letter.objects.filter(kind=kind, year=year, org=issuer, holder_role=role, holder_name__in=names)
        taken_pairs = {(n, lab) for n, lab in existing.values_list("holder_name", "labels")}
        clash = [f"{n}（{lab}）" if lab else n for n, lab in rows if (n, lab) in taken_pairs]
        if clash:
            raise ValidationError({"people": f"{'、'.join(clash)}已签有{year}年{kind.name}。"})
        letters = [Letter(org=issuer, holder_name=n, holder_role=role, labels=lab, **common) for n, lab in rows]
    try:
        with transaction.atomic():
            made = Letter.objects.bulk_create(letters)
    except IntegrityError as exc:  # issued by someone else at the same moment
        raise ValidationError("有人刚刚签发了相同的责任书，请刷新后再试。") from exc
    audit(actor, "letter.issue", parent or made[0],
          {"kind": kind.code, "year": year, "level": level, "count": len(made), "issuer": issuer.name},
          org=issuer)  # fmt: skip
    return made


def _drawn_png(data_url: str):
    """A canvas's ``data:image/png;base64,...`` as a checked, re-encoded image; refused when nothing is drawn."""
    head, _comma, body = (data_url or "").partition(",")
    if head != "data:image/png;base64" or not body:
        raise ValidationError({"signature": "请在签名框内签名。"})
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({"signature": "签名图像无法识别，请重新签名。"}) from exc
    if len(raw) > MAX_SIGNATURE_BYTES:
        raise ValidationError({"signature": "签名图像过大，请重新签名。"})
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            probe.load()
            ink = probe.convert("L").point(lambda v: 255 if v < 200 else 0).getbbox()
            blank = probe.mode in ("RGBA", "LA") and probe.getchannel("A").getbbox() is None
    except (OSError, ValueError) as exc:
        raise ValidationError({"signature": "签名图像无法识别，请重新签名。"}) from exc
    if ink is None or blank:
        raise ValidationError({"signature": "签名框是空的，请先签名。"})
    checked = check_upload(SimpleUploadedFile("签名.png", raw, "image/png"), allowed=frozenset({"png"}),
                           max_bytes=MAX_SIGNATURE_BYTES, image_side=1200)  # fmt: skip
    return checked


def sign(
    *,
    actor: User,
    letter: Letter,
    signer_name: str,
    signed_on: date,
    drawn: str = "",
    scan=None,
) -> Letter:
    """Sign ``letter``: with a signature drawn on screen (``drawn``, a PNG data URL) or the scan of the signed
    paper (``scan``, an image or a PDF)."""
    if not may_sign(actor, letter):
        access.check(actor, letter.holder_org or letter.org, Perm.RECORD_WORK, letter.area)
    if letter.is_signed:
        raise ValidationError("这份责任书已经签订。")
    signer_name = signer_name.strip()
    if not signer_name:
        raise ValidationError({"signer_name": "请填写签字人姓名。"})
    today = timezone.localdate()
    if signed_on > today:
        raise ValidationError({"signed_on": "签订日期不能晚于今天。"})
    if signed_on < letter.issued_on:
        raise ValidationError({"signed_on": "签订日期不能早于发出日期。"})
    if bool(drawn) == bool(scan):
        raise ValidationError("请手写签名，或上传签字后的纸质责任书扫描件（二选一）。")
    if drawn:
        checked, how = _drawn_png(drawn), SignedBy.DRAWN
    else:
        try:
            checked = check_upload(scan, allowed=SCAN_KINDS, max_bytes=MAX_SCAN_BYTES)
        except ValidationError as exc:
            raise ValidationError({"scan": exc.messages}) from exc
        how = SignedBy.SCAN
    with transaction.atomic():
        # One signature: a conditional update, so that two people signing at once cannot both succeed.
        won = Letter.objects.filter(pk=letter.pk, signed_on__isnull=True).update(
            signed_on=signed_on, signer_name=signer_name, signed_how=how, signed_by=actor
        )
        if not won:
            raise ValidationError("这份责任书刚刚已由他人签订。")
        letter.refresh_from_db()
        content = ContentFile(checked.content.read())
        if how == SignedBy.DRAWN:
            letter.signature.save(checked.stored_name, content, save=False)
        else:
            letter.scan.save(checked.stored_name, content, save=False)
            letter.scan_name = checked.name
        letter.save(update_fields=["signature", "scan", "scan_name"])
        audit(actor, "letter.sign", letter, {"how": how, "signer": signer_name, "on": signed_on.isoformat()},
              org=letter.org)  # fmt: skip
    return letter
