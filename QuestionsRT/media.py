"""``/media/…``: the question images, when the app serves them itself (``QRT_SERVE_MEDIA``, on
in the local demo). In production nginx serves them (docs/deploy.md).

Every file there was written by preguntas/images.py (WebP, under a random name that a new
upload never reuses), so it may be cached for good; ``nosniff`` keeps a browser from reading
one as anything but the type its name says.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:  # a name the file system refuses (too long, …) names no image
        raise Http404 from None
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


urlpatterns = [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media")] if settings.QRT_SERVE_MEDIA else []
