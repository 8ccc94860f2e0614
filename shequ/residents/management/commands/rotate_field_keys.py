"""Re-encrypt and re-hash every ID and phone number under the first key of FIELD_ENCRYPTION_KEYS.

The phones are every model attribute declared as ``EncryptedPhone`` (residents, accounts, cases' reporters and
parties, guardians, landlords, lecturers).

Rotation: put the new key first (keep the old ones after it), run this command, then remove the
old keys. Lookups match the hash under every configured key while it runs, so it can run live.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from shequ.core import crypto, phones
from shequ.residents import identity
from shequ.residents.models import Person

BATCH = 2000


class Command(BaseCommand):
    help = "Re-encrypt and re-hash ID and phone numbers under the current (first) field key."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count the rows that need rotation")

    def handle(self, *args, dry_run: bool = False, **options):
        current = crypto.field_keys()[0].kid
        last_pk = 0
        rotated = checked = 0
        while True:
            rows = list(
                Person.objects.filter(pk__gt=last_pk)
                .exclude(id_cipher="")
                .order_by("pk")
                .values_list("pk", "id_type", "id_cipher")[:BATCH]
            )
            if not rows:
                break
            last_pk = rows[-1][0]
            checked += len(rows)
            stale = [r for r in rows if crypto.key_id_of(r[2]) != current]
            rotated += len(stale)
            if dry_run or not stale:
                continue
            objs = []
            for pk, id_type, cipher in stale:
                number = identity.decrypt_id(cipher)
                objs.append(
                    Person(
                        pk=pk,
                        id_cipher=crypto.encrypt(number, context=identity.ID_CONTEXT),
                        id_hash=identity.id_hash(id_type, number),
                    )
                )
            with transaction.atomic():
                Person.objects.bulk_update(objs, ["id_cipher", "id_hash"], batch_size=500)
        phones_checked, phones_rotated = self._phones(current, dry_run)
        verb = "需要轮换" if dry_run else "已轮换"
        if options.get("verbosity", 1):
            self.stdout.write(f"检查 {checked} 个证件号码，{verb} {rotated} 个。")
            self.stdout.write(f"检查 {phones_checked} 个联系电话，{verb} {phones_rotated} 个。")

    def _phones(self, current: bytes, dry_run: bool) -> tuple[int, int]:
        checked = rotated = 0
        for model, name in phones.declared():
            c, r = self._phone_column(model, name, current, dry_run)
            checked, rotated = checked + c, rotated + r
        return checked, rotated

    def _phone_column(self, model, name: str, current: bytes, dry_run: bool) -> tuple[int, int]:
        cipher_column = f"{name}_cipher"
        last_pk = checked = rotated = 0
        while True:
            rows = list(
                model._default_manager.filter(pk__gt=last_pk)
                .exclude(**{cipher_column: ""})
                .order_by("pk")
                .values_list("pk", cipher_column)[:BATCH]
            )
            if not rows:
                return checked, rotated
            last_pk = rows[-1][0]
            checked += len(rows)
            stale = [(pk, cipher) for pk, cipher in rows if crypto.key_id_of(cipher) != current]
            rotated += len(stale)
            if dry_run or not stale:
                continue
            columns = phones.columns_many([phones.decrypt(cipher) for _, cipher in stale], name)
            objs = [model(pk=pk, **cols) for (pk, _), cols in zip(stale, columns, strict=True)]
            with transaction.atomic():
                model._default_manager.bulk_update(objs, list(phones.names(name)), batch_size=500)
