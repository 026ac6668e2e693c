from django.urls import path

from preguntas.realtime.consumers import AulaConsumer

websocket_urlpatterns = [
    path("ws/aula/<str:code>/", AulaConsumer.as_asgi()),
]
