import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction

from preguntas.game import roster
from preguntas.models import Aula, Clasificacion, Pregunta, TiempoExtra

FIXTURE = settings.BASE_DIR / "fixtures" / "preguntas_geografia.json"
MEDIA = settings.BASE_DIR / "fixtures" / "media"  # the demo's images (scripts/draw_demo_map.py)
DEMO_CODE = "DEMO01"
ROSTER_CODE = "DEMO02"  # a classroom with a roster, the top five and one student with extra time
ROSTER = ["Ana García", "Bruno López", "Carmen Ruiz", "David Martín", "Elena Sanz", "Lucía Fernández", "Marcos Gil", "Nerea Vidal"]


class Command(BaseCommand):
    help = (
        "Creates the demo teacher 'profesor' (password 'profesor', demo only), classroom DEMO01, classroom DEMO02 "
        "with a roster, and the geography questions. Safe to run again."
    )

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
        self._roster_classroom(profesor)
        added = 0
        for item in json.loads(FIXTURE.read_text(encoding="utf-8")):
            fields = {k: v for k, v in item["fields"].items() if k not in ("creada", "actualizada", "propietario")}
            if fields.get("imagen"):
                self._store_image(fields["imagen"])
            _, was_added = Pregunta.objects.get_or_create(texto=fields.pop("texto"), propietario=None, defaults=fields)
            added += was_added
        self.stdout.write(
            f"Demo ready: teacher 'profesor', classrooms {DEMO_CODE} and {ROSTER_CODE} (with a roster), {added} new questions."
        )

    def _store_image(self, name: str) -> None:
        """A demo question's image, from fixtures/media/ into the media storage (once)."""
        if not default_storage.exists(name):
            default_storage.save(name, File((MEDIA / Path(name).name).open("rb")))

    def _roster_classroom(self, profesor):
        aula, created = Aula.objects.get_or_create(
            codigo=ROSTER_CODE,
            defaults={"nombre": "1ºA Geografía (con lista)", "propietario": profesor, "clasificacion": Clasificacion.TOP5},
        )
        if not created:
            return
        for number, name in enumerate(ROSTER, 1):
            roster.add(aula, name, f"S-{number:03}")
        aula.alumnos.filter(nombre="Lucía Fernández").update(tiempo_extra=TiempoExtra.MEDIO)
