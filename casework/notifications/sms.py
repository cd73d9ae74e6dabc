"""Sending one notification by SMS through an HTTP gateway (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN).

The gateway receives `POST SMS_GATEWAY_URL` with `Authorization: Bearer <token>`,
`Content-Type: application/json` and the body `{"to": "+223...", "text": "..."}`; any 2xx
answer means it took the message. A small adapter in front of the operator's own API (Orange
Mali, Malitel, an SMS aggregator) speaks this shape.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from flask import current_app

TIMEOUT_SECONDS = 20


class GatewayRefused(Exception):
    """The gateway answered with an HTTP status other than 2xx (its text is not kept)."""

    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


def configured() -> bool:
    return bool(current_app.config.get("SMS_GATEWAY_URL"))


def send(to: str, text: str) -> None:
    config = current_app.config
    url = config["SMS_GATEWAY_URL"]
    if not url.startswith(("https://", "http://")):
        raise ValueError("SMS_GATEWAY_URL must be an http(s) address")
    payload = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # nosec B310  # http(s) only: the scheme is checked above
        url, method="POST", data=payload,
        headers={"Content-Type": "application/json; charset=utf-8",
                 "Authorization": f"Bearer {config.get('SMS_GATEWAY_TOKEN') or ''}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # nosec B310  # same request
            answer.read(1024)
    except urllib.error.HTTPError as error:
        error.close()
        raise GatewayRefused(error.code) from None
