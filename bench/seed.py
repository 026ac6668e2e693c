"""Seeds the benchmark database: a teacher, a classroom and a few questions.

Run with the same environment as the servers (DATABASE_URL, SECRET_KEY, ...):

    python bench/seed.py OUT.json
    python bench/seed.py OUT.json --classrooms C     # school mode

Writes the classroom code, a logged-in session id for the teacher (the load client
sends it as the ``sessionid`` cookie) and the questions (id, text) to OUT.json.

With --classrooms C (school mode, bench/school.py) it creates C classrooms, each owned by
a teacher of its own with a session of its own (the teacher socket must be the owner's),
and the questions in the shared bank (no owner), which every teacher may push. OUT.json
then holds ``classrooms``: a list of {code, aula, teacher, sessionid}, and ``questions``.
"""

import argparse
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


def questions(owner) -> list[dict]:
    """QUESTIONS questions from the fixture (realistic frame sizes); owner None: the shared bank."""
    items = json.loads(FIXTURE.read_text(encoding="utf-8"))
    out = []
    for i in range(QUESTIONS):
        fields = items[i % len(items)]["fields"]
        q = Pregunta.objects.create(
            texto=fields["texto"], respuesta=fields["respuesta"], tema=fields["tema"], propietario=owner
        )
        out.append({"id": q.pk, "text": q.texto, "correct": q.respuesta})
    return out


def classroom(username: str, name: str) -> tuple:
    """A teacher, a classroom they own and a logged-in session of theirs."""
    User = get_user_model()
    teacher = User.objects.create_user(username=username, password=None, first_name="Bench")
    aula = Aula.objects.create(nombre=name, propietario=teacher)
    # A logged-in session, as django.contrib.auth.login() would store it.
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = teacher._meta.pk.value_to_string(teacher)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = teacher.get_session_auth_hash()
    session.save()
    return teacher, {"code": aula.codigo, "aula": aula.pk, "teacher": teacher.pk, "sessionid": session.session_key}


@transaction.atomic
def seed() -> dict:
    teacher, state = classroom("bench-teacher", "Benchmark 2000")
    state["questions"] = questions(teacher)
    return state


@transaction.atomic
def seed_school(classrooms: int) -> dict:
    rooms = [classroom(f"bench-teacher-{i:04d}", f"Aula {i:04d}")[1] for i in range(1, classrooms + 1)]
    return {"classrooms": rooms, "questions": questions(None)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--classrooms", type=int, help="school mode: this many classrooms, one teacher each")
    args = p.parse_args()
    if args.classrooms is not None and args.classrooms < 1:
        p.error("--classrooms needs an integer >= 1")
    state = seed() if args.classrooms is None else seed_school(args.classrooms)
    Path(args.out).write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
    if args.classrooms is None:
        print(f"[seed] classroom {state['code']}, {len(state['questions'])} questions, teacher session ready", file=sys.stderr)
    else:
        print(
            f"[seed] {args.classrooms} classrooms with a teacher and a session each, "
            f"{len(state['questions'])} shared questions",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
