"""Dashboard cards of the accounts: the users holding a role in the user's scope."""

from __future__ import annotations

from shequ.accounts.selectors import user_count


def user_cards(user) -> list[dict]:
    return [{"label": "用户", "value": user_count(user), "hint": "本辖区有任职的账号"}]
