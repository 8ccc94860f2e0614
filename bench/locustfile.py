"""The users ``bench/load.py`` sends at Shequ: one locust user class per persona, each opening its persona's pages.

Run by ``bench/load.py`` (never on its own): it writes the plan (pages by persona with a weight, and a logged-in
session per persona) to the JSON file named by ``SHEQU_LOAD_PLAN``. Requests carry the session cookie and
``X-Forwarded-Proto: https``, as a load balancer in front of production gunicorn would.
"""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, between, task

PLAN = json.loads(open(os.environ["SHEQU_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115


def _user_class(persona: str, spec: dict) -> type:
    pages = spec["pages"]  # [[label, url], …]
    headers = {"Cookie": f"{PLAN['cookie_name']}={spec['session']}", "X-Forwarded-Proto": "https"}

    def open_page(self):
        label, url = random.choice(pages)  # nosec B311 - a load mix, not a secret
        with self.client.get(url, name=label, headers=headers, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    return type(
        f"User_{persona}",
        (FastHttpUser,),
        {"weight": spec["weight"], "wait_time": between(0.5, 2.0), "tasks": [task(open_page)], "abstract": False},
    )


for _persona, _spec in PLAN["personas"].items():
    globals()[f"User_{_persona}"] = _user_class(_persona, _spec)
