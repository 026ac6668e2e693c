import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from preguntas.models import Aula, Pregunta

FIXTURE = settings.BASE_DIR / "fixtures" / "preguntas_geografia.json"
DEMO_CODE = "DEMO01"


class Command(BaseCommand):
    help = "Creates the demo teacher 'profesor' (password 'profesor', demo only), classroom DEMO01 and the geography questions. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        profesor, created = User.objects.get_or_create(
            username="profesor", defaults={"first_name": "Profesor", "last_name": "Demo", "is_staff": True, "is_superuser": True}
        )
        if created:
            profesor.set_password("profesor")
            profesor.save()
        Aula.objects.get_or_create(
            codigo=DEMO_CODE, defaults={"nombre": "3ºB Geografía", "propietario": profesor}
        )
        added = 0
        for item in json.loads(FIXTURE.read_text(encoding="utf-8")):
            fields = item["fields"]
            _, was_added = Pregunta.objects.get_or_create(
                texto=fields["texto"],
                propietario=None,
                defaults={"respuesta": fields["respuesta"], "tema": fields["tema"]},
            )
            added += was_added
        self.stdout.write(f"Demo ready: teacher 'profesor', classroom {DEMO_CODE}, {added} new questions.")
