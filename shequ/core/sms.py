"""Text messages (短信) to a phone: verification codes. The backend is chosen by ``SMS_BACKEND``:

* ``console``: writes the message to the log (development; the code shows in the terminal of ``make run``);
* ``http``: POSTs ``{"phone", "text"}`` as JSON to ``SMS_HTTP_URL`` (https) with ``Authorization: Bearer
  SMS_HTTP_TOKEN``: the office's SMS gateway, or a small adapter in front of a provider's API;
* ``memory``: keeps the messages in :data:`outbox` (tests).

A new gateway is a new class here and a name in :data:`BACKENDS`.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

log = logging.getLogger("shequ.sms")


@dataclass(frozen=True)
class Message:
    phone: str
    text: str


outbox: list[Message] = []


class Backend(Protocol):
    def send(self, message: Message) -> None: ...


class ConsoleBackend:
    def send(self, message: Message) -> None:
        log.warning("短信 → %s：%s", message.phone, message.text)


class MemoryBackend:
    def send(self, message: Message) -> None:
        outbox.append(message)


class HttpBackend:
    def send(self, message: Message) -> None:
        url = settings.SMS_HTTP_URL
        if not url.startswith("https://"):
            raise ImproperlyConfigured("SMS_HTTP_URL must be an https:// address")
        body = json.dumps({"phone": message.phone, "text": message.text}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked to be https above
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - https, checked above  # nosec B310
            if response.status >= 300:
                raise OSError(f"SMS gateway answered {response.status}")


BACKENDS: dict[str, type[Backend]] = {"console": ConsoleBackend, "memory": MemoryBackend, "http": HttpBackend}


def send(phone: str, text: str) -> None:
    try:
        backend = BACKENDS[settings.SMS_BACKEND]
    except KeyError as exc:
        raise ImproperlyConfigured(f"SMS_BACKEND must be one of {', '.join(BACKENDS)}") from exc
    backend().send(Message(phone=phone, text=text))
