"""Security headers Django does not set by itself (docs/security.md).

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy
and Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware sends X-Frame-Options.
django-csp sends the Content-Security-Policy of ``settings.CONTENT_SECURITY_POLICY``;
these middlewares add this site's WebSocket origin to it, and a Permissions-Policy.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.deprecation import MiddlewareMixin

DEFAULT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SocketOriginCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with ws(s)://<this host> added to connect-src.

    'self' covers ws:/wss: to this host in current browsers; older Safari needs it spelled out.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        try:
            origin = f"{'wss' if request.is_secure() else 'ws'}://{request.get_host()}"
        except DisallowedHost:  # the response is the 400 for that host: 'self' is enough
            return parts
        update = dict(parts.update or {})
        sources = update.get("connect-src") or []
        update["connect-src"] = [*([sources] if isinstance(sources, str) else sources), origin]
        parts.update = update
        return parts


class PermissionsPolicyMiddleware(MiddlewareMixin):
    """Adds ``settings.QRT_PERMISSIONS_POLICY`` to every response that has none."""

    def process_response(self, request, response):
        permissions = getattr(settings, "QRT_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response
