"""Who may post to the SMS webhook, as each gateway proves it: never a secret in the URL.

- Twilio signs each request: `X-Twilio-Signature` is the base64 HMAC-SHA1, keyed with the
  account's auth token (TWILIO_AUTH_TOKEN), of the URL it called followed by each POST
  parameter's name and value, sorted by name.
- RapidPro / TextIt and any other gateway send the shared secret (SMS_WEBHOOK_SECRET) in the
  `X-Palabre-Secret` header.

A secret in the query string would be written in every access log on the way (the proxy's,
the gateway's): such a request is refused, whatever else it carries.
"""
from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app, request

SECRET_HEADER = "X-Palabre-Secret"  # nosec B105  # a header's name, not a secret
SIGNATURE_HEADER = "X-Twilio-Signature"
URL_SECRET = "secret"  # nosec B105  # the name of a query parameter that is refused


def twilio_signature(url: str, params, token: str) -> str:
    """What Twilio sends in X-Twilio-Signature for a POST of `params` (a MultiDict) to `url`."""
    signed = url + "".join(name + value for name in sorted(set(params))
                           for value in sorted(set(params.getlist(name))))
    digest = hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def secret_in_url() -> bool:
    return URL_SECRET in request.args


def _urls_twilio_may_have_called() -> list[str]:
    """The URL as this request arrived, and as PALABRE_PUBLIC_URL names the site (behind a
    proxy that does not pass the scheme on, the first one is http:// where Twilio saw https)."""
    urls = [request.url]
    public = current_app.config.get("PALABRE_PUBLIC_URL", "").rstrip("/")
    if public:
        urls.append(public + request.full_path.rstrip("?"))
    return urls


def authenticated() -> bool:
    """Whether a configured gateway sent this request; False while none is configured."""
    config = current_app.config
    signature = request.headers.get(SIGNATURE_HEADER)
    if signature is not None:
        token = config.get("TWILIO_AUTH_TOKEN") or ""
        return bool(token) and any(
            hmac.compare_digest(twilio_signature(url, request.form, token).encode(),
                                signature.encode())
            for url in _urls_twilio_may_have_called())
    secret = config.get("SMS_WEBHOOK_SECRET") or ""
    given = request.headers.get(SECRET_HEADER) or ""
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())
