"""What django-axes needs from us to lock logins the way docs/security.md describes.

Axes counts failed passwords in the database, per (username, client address), and
locks that pair once they reach ``AXES_FAILURE_LIMIT``; settings.py names the rest.
"""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.db.models import Max
from django.utils import timezone


def username(request, credentials) -> str:
    """The username as counted: «ALICE» and « alice» are alice's attempts too."""
    return ((credentials or {}).get("username") or "").strip().casefold()


def seconds_left(request, credentials) -> int:
    """How long the lock of this (username, address) still lasts: the cool-off after its last failure."""
    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    last = max(filter(None, (a.aggregate(last=Max("attempt_time"))["last"] for a in attempts)), default=None)
    if last is None:
        return 0
    return max(0, math.ceil((last + get_cool_off(request) - timezone.now()).total_seconds()))
