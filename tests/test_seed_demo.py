import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from preguntas.models import Aula, Pregunta

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_loads_the_geography_bank():
    call_command("seed_demo")
    call_command("seed_demo")
    profesor = authenticate(RequestFactory().post("/"), username="profesor", password="profesor")
    assert profesor is not None
    assert Aula.objects.get(codigo="DEMO01").propietario == profesor
    roster = Aula.objects.get(codigo="DEMO02")
    assert roster.propietario == profesor and roster.alumnos.filter(en_lista=True).exists()
    assert roster.alumnos.filter(en_lista=True, reclamado__isnull=True).count() == 8
    shared = Pregunta.objects.filter(propietario__isnull=True)
    assert shared.count() >= 40
    assert shared.filter(respuesta=True).exists() and shared.filter(respuesta=False).exists()


def test_the_fixture_loads_with_loaddata():
    call_command("loaddata", "fixtures/preguntas_geografia.json", verbosity=0)
    assert Pregunta.objects.count() >= 40
