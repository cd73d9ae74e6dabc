"""Who the client is: X-Forwarded-For believed only behind PALABRE_TRUSTED_PROXIES proxies, and
a warning in the log when requests carry it while none is configured."""
from __future__ import annotations

import logging

from flask import Flask, request

log = logging.getLogger(__name__)
WARNED = "palabre.forwarded_for_warned"


def init_app(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
        return
    app.extensions[WARNED] = False

    @app.before_request
    def _warn_once_of_an_unheeded_proxy():
        """Behind a proxy left at 0, every client has the proxy's address: in the event log,
        and in sign-in throttling, where one address failing with many names holds back every
        name that has not signed in lately. Said once per process, at the first such request."""
        if not app.extensions[WARNED] and "X-Forwarded-For" in request.headers:
            app.extensions[WARNED] = True
            log.warning("requests carry X-Forwarded-For but PALABRE_TRUSTED_PROXIES is 0: the "
                        "header is ignored, and every client has the address of the proxy "
                        "that sent it (%s). Behind a reverse proxy, set PALABRE_TRUSTED_PROXIES "
                        "to the number of proxies in front of Palabre.", request.remote_addr)
