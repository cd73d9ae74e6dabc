"""The connection to Redis (REDIS_URL), shared by the notification worker and the import jobs."""
from __future__ import annotations

import redis
from flask import current_app


def connect() -> redis.Redis:
    return redis.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=30)
