"""Login lockout: too many failed passwords for one username from one address.

Failures are counted in Django's cache, per (username, client address). After
``QRT_LOGIN_MAX_FAILURES`` failures within ``QRT_LOGIN_LOCKOUT_SECONDS``, that
username is locked from that address for ``QRT_LOGIN_LOCKOUT_SECONDS``, even with
the right password. A successful login clears the count. Other addresses, and
other usernames from the same address, are not affected: a stranger cannot lock a
teacher out of their own classroom.

The cache must be shared by every server process for the limit to be exact
(docs/security.md); with the default per-process cache each process counts on
its own.
"""

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger("usuarios.security")

DEFAULT_MAX_FAILURES = 5
DEFAULT_LOCKOUT_SECONDS = 15 * 60


def max_failures() -> int:
    return getattr(settings, "QRT_LOGIN_MAX_FAILURES", DEFAULT_MAX_FAILURES)


def lockout_seconds() -> int:
    return getattr(settings, "QRT_LOGIN_LOCKOUT_SECONDS", DEFAULT_LOCKOUT_SECONDS)


def client_address(request) -> str:
    """The peer address as the server saw it.

    Behind a reverse proxy, run Daphne with ``--proxy-headers`` so that this is the
    client's address and not the proxy's. Headers a client can forge are not read here.
    """
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "") or ""


class LoginThrottle:
    def __init__(self, request, username):
        self.username = (username or "").strip().casefold()
        self.address = client_address(request)
        digest = hashlib.sha256(f"{self.username}\x00{self.address}".encode("utf-8", "replace")).hexdigest()
        self.failures_key = f"qrt:login:failures:{digest}"
        self.lock_key = f"qrt:login:lock:{digest}"

    def locked_for(self) -> int:
        """Seconds left of the lockout (0: not locked)."""
        until = cache.get(self.lock_key)
        if until is None:
            return 0
        return max(0, math.ceil(until - time.time()))

    def failure(self) -> None:
        window = lockout_seconds()
        cache.add(self.failures_key, 0, timeout=window)
        try:
            failures = cache.incr(self.failures_key)
        except ValueError:  # expired between add() and incr()
            cache.set(self.failures_key, 1, timeout=window)
            failures = 1
        if failures >= max_failures():
            cache.set(self.lock_key, time.time() + window, timeout=window)
            cache.delete(self.failures_key)
            log.warning(
                "Login locked for %s s after %s failed attempts: username=%r address=%s",
                window,
                failures,
                self.username,
                self.address,
            )

    def success(self) -> None:
        cache.delete_many([self.failures_key, self.lock_key])


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))
