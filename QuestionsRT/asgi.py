"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "QuestionsRT.settings")
django_asgi_app = get_asgi_application()

# Imported after Django is set up: these touch the models.
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from QuestionsRT.origin import OriginValidator  # noqa: E402
from preguntas.routing import websocket_urlpatterns  # noqa: E402
from usuarios.socket_auth import SocketAuthStack  # noqa: E402

# Thousands of open sockets keep many objects alive; the default thresholds walk them all
# in frequent full collections, which showed as broadcasts that cost 2-4x their median
# (docs/performance.md). Freeze what start-up made and collect the young generation less often.
gc.freeze()
gc.set_threshold(50_000, 50, 100)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginValidator(SocketAuthStack(URLRouter(websocket_urlpatterns))),
    }
)
