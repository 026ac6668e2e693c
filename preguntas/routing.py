from django.urls import path

from preguntas.consumers import AulaConsumer

websocket_urlpatterns = [
    path("ws/aula/<str:code>/", AulaConsumer.as_asgi()),
]
