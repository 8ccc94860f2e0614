"""From a typed ID number to the stored columns: validation, derived gender and birth date, and the
encrypted, hashed, masked and tail forms. Shared by the forms' services and the import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from shequ.core import crypto
from shequ.residents import idnumbers
from shequ.residents.models import Gender, IdType

ID_CONTEXT = "residents.person.id_number"
GENDER_LABEL = dict(Gender.choices)
ID_TYPES = frozenset(IdType.values)


@dataclass(frozen=True)
class Identity:
    id_type: str
    number: str  # normalized plaintext, "" when none was given
    gender: str
    birth_date: date | None

    def columns(self, *, cipher: str | None = None, hash_: str | None = None) -> dict:
        """The Person columns of this identity (encrypting and hashing unless given)."""
        if not self.number:
            return {"id_type": self.id_type, "id_cipher": "", "id_hash": "", "id_masked": "", "id_tail": ""}
        return {
            "id_type": self.id_type,
            "id_cipher": cipher if cipher is not None else crypto.encrypt(self.number, context=ID_CONTEXT),
            "id_hash": hash_ if hash_ is not None else id_hash(self.id_type, self.number),
            "id_masked": idnumbers.mask(self.number),
            "id_tail": idnumbers.tail_key(self.number),
        }


def hash_input(id_type: str, number: str) -> str:
    # 居民身份证 and 港澳台居住证 share one number space (GB 11643); other documents are typed.
    kind = "gb11643" if id_type in (IdType.RESIDENT, IdType.HMT) else id_type
    return f"{kind}:{number}"


def id_hash(id_type: str, number: str) -> str:
    return crypto.keyed_hash(hash_input(id_type, number), context=ID_CONTEXT)


def id_lookup_hashes(id_type: str, number: str) -> list[str]:
    return crypto.lookup_hashes(hash_input(id_type, number), context=ID_CONTEXT)


def decrypt_id(cipher: str) -> str:
    return crypto.decrypt(cipher, context=ID_CONTEXT) if cipher else ""


def resolve(
    *,
    id_type: str,
    raw_number: str | None,
    gender: str = "",
    birth_date: date | None = None,
    required: bool = False,
    today: date | None = None,
) -> Identity:
    """Check the number for its type; derive gender and birth date from a GB 11643 number and refuse
    given values that disagree. Raises ValidationError keyed by field name."""
    id_type = id_type or IdType.RESIDENT
    if id_type not in ID_TYPES:
        raise ValidationError({"id_type": "证件类型无效。"})
    raw = idnumbers.normalize(raw_number)
    if not raw:
        if required:
            raise ValidationError({"id_number": "请填写证件号码。"})
        return Identity(id_type=id_type, number="", gender=gender, birth_date=birth_date)
    try:
        if id_type == IdType.RESIDENT:
            parsed = idnumbers.parse_resident_id(raw, today=today)
        elif id_type == IdType.HMT:
            parsed = idnumbers.parse_hmt_permit(raw)
        else:
            label = "护照号码" if id_type == IdType.PASSPORT else "证件号码"
            return Identity(
                id_type=id_type,
                number=idnumbers.check_other_number(raw, label=label),
                gender=gender,
                birth_date=birth_date,
            )
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    errors = {}
    if gender and gender != parsed.gender:
        errors["gender"] = f"性别与证件号码不符:号码第17位表示{GENDER_LABEL[parsed.gender]}性。"
    if birth_date and birth_date != parsed.birth_date:
        errors["birth_date"] = f"出生日期与证件号码不符:号码中的出生日期是{parsed.birth_date:%Y-%m-%d}。"
    if errors:
        raise ValidationError(errors)
    return Identity(id_type=id_type, number=parsed.number, gender=parsed.gender, birth_date=parsed.birth_date)
