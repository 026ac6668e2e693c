"""Security headers Django does not set by itself (docs/security.md).

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy
and Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware sends X-Frame-Options.
This middleware adds a Content-Security-Policy and a Permissions-Policy.

The pages load scripts, styles, images and fonts from this site only and open a
WebSocket back to it, so the policy allows exactly that: no inline scripts, no
inline event handlers, no inline styles, no eval, no framing, no plugins.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.deprecation import MiddlewareMixin

DEFAULT_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # Bootstrap's CSS draws a few icons (select arrows, close buttons) as data: SVGs.
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    # 'self' covers ws:/wss: to this host in current browsers; older Safari needs them spelled out.
    "connect-src": ["'self'", "{ws_origin}"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

DEFAULT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def build_csp(request, directives: dict) -> str:
    """The header value; ``{ws_origin}`` stands for ws(s)://<this host>."""
    try:
        ws_origin = f"{'wss' if request.is_secure() else 'ws'}://{request.get_host()}"
    except DisallowedHost:  # the response is the 400 for that host: 'self' is enough
        ws_origin = None
    parts = []
    for name, sources in directives.items():
        values = [
            source.replace("{ws_origin}", ws_origin) if ws_origin else source
            for source in sources
            if ws_origin or "{ws_origin}" not in source
        ]
        parts.append(" ".join([name, *values]))
    return "; ".join(parts)


class SecurityHeadersMiddleware(MiddlewareMixin):
    """Adds Content-Security-Policy and Permissions-Policy to every response that has none.

    Settings: ``QRT_CSP`` (a dict of directive → list of sources; ``None`` sends no
    policy), ``QRT_CSP_REPORT_ONLY`` (send it as Content-Security-Policy-Report-Only),
    ``QRT_PERMISSIONS_POLICY``.
    """

    def process_response(self, request, response):
        directives = getattr(settings, "QRT_CSP", DEFAULT_CSP)
        if directives:
            header = (
                "Content-Security-Policy-Report-Only"
                if getattr(settings, "QRT_CSP_REPORT_ONLY", False)
                else "Content-Security-Policy"
            )
            if header not in response:
                response[header] = build_csp(request, directives)
        permissions = getattr(settings, "QRT_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response
