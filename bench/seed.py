"""Seeds the benchmark database: a teacher, a classroom and a few questions.

Run with the same environment as the servers (DATABASE_URL, SECRET_KEY, ...):

    python bench/seed.py OUT.json

Writes the classroom code, a logged-in session id for the teacher (the load client
sends it as the ``sessionid`` cookie) and the questions (id, text) to OUT.json.
"""

import json
import os
import sys
from pathlib import Path

# The Django project under test: the work tree, or the export bench/run.sh --commit made.
ROOT = Path(os.environ.get("QRT_APP_DIR") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "QuestionsRT.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from importlib import import_module  # noqa: E402

from preguntas.models import Aula, Pregunta  # noqa: E402

FIXTURE = ROOT / "fixtures" / "preguntas_geografia.json"
QUESTIONS = 12


@transaction.atomic
def seed() -> dict:
    User = get_user_model()
    teacher = User.objects.create_user(username="bench-teacher", password=None, first_name="Bench")
    aula = Aula.objects.create(nombre="Benchmark 2000", propietario=teacher)
    items = json.loads(FIXTURE.read_text(encoding="utf-8"))
    questions = []
    for i in range(QUESTIONS):
        fields = items[i % len(items)]["fields"]
        q = Pregunta.objects.create(
            texto=fields["texto"], respuesta=fields["respuesta"], tema=fields["tema"], propietario=teacher
        )
        questions.append({"id": q.pk, "text": q.texto, "correct": q.respuesta})
    # A logged-in session, as django.contrib.auth.login() would store it.
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = teacher._meta.pk.value_to_string(teacher)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = teacher.get_session_auth_hash()
    session.save()
    return {
        "code": aula.codigo,
        "aula": aula.pk,
        "teacher": teacher.pk,
        "sessionid": session.session_key,
        "questions": questions,
    }


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python bench/seed.py OUT.json")
    state = seed()
    Path(sys.argv[1]).write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"[seed] classroom {state['code']}, {len(state['questions'])} questions, teacher session ready", file=sys.stderr)


if __name__ == "__main__":
    main()
