"""``manage.py importar_preguntas FILE [--propietario USERNAME]``: any format, shared or a teacher's."""

import io

import pytest
from django.core.management import CommandError, call_command

from preguntas.models import Pregunta
from tests.game.formats_helpers import DATA

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("importar_preguntas", *args, stdout=out)
    return out.getvalue()


def test_without_an_owner_the_questions_are_shared_and_every_one_is_named():
    out = run(str(DATA / "moodle.xml"))
    assert out.splitlines()[0] == "Moodle XML: 4 created as shared questions, 5 left out."
    assert "  + pregunta 1 [Una respuesta entre varias] ¿Qué río pasa por Zaragoza?" in out
    assert "  - pregunta 6: Describe el curso del Ebro." in out
    assert "      Las preguntas de respuesta abierta (ensayo) no se pueden importar: aquí no hay de ese tipo." in out
    assert Pregunta.objects.filter(propietario__isnull=True).count() == 4


def test_with_an_owner_they_are_the_teachers_and_a_second_run_adds_nothing(alice):
    assert run(str(DATA / "aiken.txt"), "--propietario", "alice").startswith("Aiken: 5 created as alice's questions")
    out = run(str(DATA / "aiken.txt"), "--propietario", "alice")
    assert out.startswith("Aiken: 0 created as alice's questions, 8 left out.")
    assert "Ya está en el banco de preguntas." in out
    assert Pregunta.objects.filter(propietario=alice).count() == 5


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-existe.gift"], "Cannot read no-existe.gift"),
        ([str(DATA / "aiken.txt"), "--propietario", "nadie"], "There is no user called 'nadie'."),
    ],
)
def test_a_missing_file_or_teacher_is_an_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_file_in_no_known_format_is_an_error(tmp_path):
    path = tmp_path / "apuntes.txt"
    path.write_text("Apuntes de clase, sin preguntas.")
    with pytest.raises(CommandError, match="No se reconoce el formato del archivo"):
        run(str(path))
    assert not Pregunta.objects.exists()
