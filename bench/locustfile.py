"""The users ``bench/load.py`` sends at Shequ: one locust user class per persona, each opening its persona's pages.

Run by ``bench/load.py`` (never on its own): it writes the plan (pages by persona with a weight, and a logged-in
session per persona) to the JSON file named by ``SHEQU_LOAD_PLAN``. Requests carry the session cookie and
``X-Forwarded-Proto: https``, as a load balancer in front of production gunicorn would.
"""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, between

PLAN = json.loads(open(os.environ["SHEQU_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115


RECORD_EVERY = 5  # a community worker records one activity for every five pages opened


def _user_class(persona: str, spec: dict) -> type:
    pages = spec["pages"]  # [[label, url], …]
    headers = {"Cookie": f"{PLAN['cookie_name']}={spec['session']}", "X-Forwarded-Proto": "https"}
    post = spec.get("post")

    def open_page(self):
        label, url = random.choice(pages)  # nosec B311 - a load mix, not a secret
        with self.client.get(url, name=label, headers=headers, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    def record(self):
        # The form's POST as the browser sends it: session and CSRF cookies, the form's token, the Origin of the
        # https site the load balancer serves. Answered by a redirect to the new record (not followed).
        cookies = f"{PLAN['cookie_name']}={spec['session']}; {PLAN['csrf_cookie_name']}={post['csrf_cookie']}"
        host = self.host.split("://", 1)[1]
        sent = {**headers, "Cookie": cookies, "Origin": f"https://{host}", "Referer": f"https://{host}{post['url']}"}
        with self.client.post(
            post["url"], data=post["fields"], name="record_create", headers=sent, catch_response=True,
            allow_redirects=False,
        ) as r:  # fmt: skip
            if r.status_code != 302:
                r.failure(f"{r.status_code}")

    tasks = {open_page: RECORD_EVERY, record: 1} if post else [open_page]
    return type(
        f"User_{persona}",
        (FastHttpUser,),
        {"weight": spec["weight"], "wait_time": between(0.5, 2.0), "tasks": tasks, "abstract": False},
    )


for _persona, _spec in PLAN["personas"].items():
    globals()[f"User_{_persona}"] = _user_class(_persona, _spec)
