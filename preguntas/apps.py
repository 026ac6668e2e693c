from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreguntasConfig(AppConfig):
    name = "preguntas"
    verbose_name = _("Preguntas y aulas")
