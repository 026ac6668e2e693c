"""Who is on the other end of a socket, from the Django session."""

from channels.auth import AuthMiddleware
from channels.sessions import SessionMiddlewareStack
from django.conf import settings
from django.contrib.auth.models import AnonymousUser


class SessionAuthMiddleware(AuthMiddleware):
    """Channels' AuthMiddleware, without the trip to the ORM thread for a socket that
    carries no session cookie (every student's): such a socket is anonymous."""

    async def resolve_scope(self, scope):
        if settings.SESSION_COOKIE_NAME not in scope.get("cookies", {}):
            scope["user"]._wrapped = AnonymousUser()
            return
        await super().resolve_scope(scope)


def SocketAuthStack(inner):
    return SessionMiddlewareStack(SessionAuthMiddleware(inner))
