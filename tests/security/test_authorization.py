"""Who may see and drive what: every page and every socket action, for every kind of user.

Roles: anonymous (no login), student (a socket without login, joined), the classroom's
owner teacher (alice), another teacher (bob), staff (is_staff with the preguntas model
permissions; owns nothing). Only the owner sees or drives a classroom and its results;
staff see everything only through the admin. Students never learn another student's
token or answers, nor the correct answer before the round closes.
"""

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from preguntas import urls as preguntas_urls
from preguntas.game import homework
from preguntas.models import Alumno, Aula, Clasificacion, Respuesta, Ronda
from tests.factories import AlumnoFactory, AulaFactory, PreguntaFactory, RespuestaFactory, RondaFactory, TeacherFactory
from tests.security.protocol import has_key
from tests.sockets import open_socket, receive, receive_type, send, student, teacher
from usuarios import urls as usuarios_urls

LOGIN = "login"  # a redirect to the teachers' login
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's login


def admin_models() -> list[str]:
    """Every model of the preguntas app registered in the admin."""
    return sorted(m._meta.model_name for m in admin.site._registry if m._meta.app_label == "preguntas")


@pytest.fixture
def world(db, alice, bob, aula, pregunta):
    """alice's classroom with a closed round, two students and their answers; bob's own things."""
    ronda = RondaFactory(aula=aula, pregunta=pregunta, texto="Ronda secreta de alice", correcta=True)
    ana = AlumnoFactory(aula=aula, nombre="Ana Secreta")
    beto = AlumnoFactory(aula=aula, nombre="Beto Secreto")
    RespuestaFactory(ronda=ronda, alumno=ana, valor=True)
    RespuestaFactory(ronda=ronda, alumno=beto, valor=False)
    world = {
        "aula": aula,
        "pregunta": pregunta,
        "ronda": ronda,
        "alumnos": [ana, beto],
        "bob_aula": AulaFactory(propietario=bob, nombre="Aula de Bob"),
        "bob_pregunta": PreguntaFactory(propietario=bob, texto="Pregunta privada de Bob"),
        "alice_pregunta": PreguntaFactory(propietario=alice, texto="Pregunta privada de alice"),
        "compartida": PreguntaFactory(propietario=None, texto="Pregunta compartida"),
    }
    if "cuestionario" in {m._meta.model_name for m in apps.get_app_config("preguntas").get_models()}:
        Cuestionario = apps.get_model("preguntas", "Cuestionario")
        world["cuestionario"] = Cuestionario.objects.create(propietario=alice, nombre="Cuestionario secreto de alice")
        world["cuestionario"].anadir(pregunta)
        now = timezone.now()
        world["tarea"] = homework.assign(aula, world["cuestionario"], abre=now, vence=now + timedelta(days=1))
        world["tarea"].nombre = "Deberes de geografía"  # what its students see, no secret
        world["tarea"].save(update_fields=["nombre"])
    return world


SECRETS = [
    "Ronda secreta de alice",
    "Ana Secreta",
    "Beto Secreto",
    "Pregunta privada de alice",
    "Cuestionario secreto de alice",
]


def pages(world):
    """(URL name, url, method, {role: expected}) for every page; expected is a status, LOGIN or ADMIN_LOGIN."""
    code, aula = world["aula"].codigo, world["aula"]
    all_teachers = {"anonymous": LOGIN, "alice": 200, "bob": 200, "staff": 200}
    owner_only = {"anonymous": LOGIN, "alice": 200, "bob": 404, "staff": 404}
    post_only = {"anonymous": LOGIN, "alice": 405, "bob": 405, "staff": 405}
    owner_post = {"anonymous": LOGIN, "alice": 302, "bob": 404, "staff": 404}
    all_teachers_post = {"anonymous": LOGIN, "alice": 302, "bob": 302, "staff": 302}
    public = {"anonymous": 200, "alice": 200, "bob": 200, "staff": 200}
    admin_only = {"anonymous": ADMIN_LOGIN, "alice": ADMIN_LOGIN, "bob": ADMIN_LOGIN, "staff": 200}
    quiz = world.get("cuestionario")
    tarea = world.get("tarea")
    rows = [
        ("preguntas:alumno", [], "get", public),
        ("preguntas:alumno_codigo", [code], "get", public),
        # Homework for students: open to whoever has the link (a student is known by their seat's cookie);
        # before the archive row below, which closes the classroom to students.
        ("preguntas:tarea_alumno", [code, tarea.pk if tarea else 0], "get", public),
        ("preguntas:tarea_unirse", [code, tarea.pk if tarea else 0], "get", {role: 405 for role in public}),
        ("preguntas:tarea_unirse", [code, tarea.pk if tarea else 0], "post", {role: 400 for role in public}),
        ("preguntas:tarea_empezar", [code, tarea.pk if tarea else 0], "post", {role: 302 for role in public}),
        ("preguntas:tarea_responder", [code, tarea.pk if tarea else 0], "post", {role: 302 for role in public}),
        ("preguntas:aulas", [], "get", all_teachers),
        ("preguntas:panel", [code], "get", owner_only),
        ("preguntas:panel", [code.lower()], "get", owner_only),
        ("preguntas:aula_editar", [code], "get", owner_only),
        ("preguntas:aula_archivar", [code], "get", post_only),
        ("preguntas:aula_archivar", [code], "post", {"anonymous": LOGIN, "alice": 302, "bob": 404, "staff": 404}),
        ("preguntas:proyector", [code], "get", owner_only),
        ("preguntas:resultados", [code], "get", owner_only),
        ("preguntas:resultados_csv", [code], "get", owner_only),
        ("preguntas:cuaderno_csv", [code], "get", owner_only),
        ("preguntas:resultados_xlsx", [code], "get", owner_only),
        ("preguntas:cuaderno_xlsx", [code], "get", owner_only),
        ("preguntas:alumnos", [code], "get", owner_only),
        ("preguntas:importar_lista", [code], "get", post_only),
        ("preguntas:importar_lista", [code], "post", {"anonymous": LOGIN, "alice": 400, "bob": 404, "staff": 404}),
        ("preguntas:alumno_historial", [code, world["alumnos"][0].pk], "get", owner_only),
        ("preguntas:alumno_tiempo", [code, world["alumnos"][0].pk], "get", post_only),
        ("preguntas:alumno_tiempo", [code, world["alumnos"][0].pk], "post", owner_post),
        ("preguntas:alumno_liberar", [code, world["alumnos"][0].pk], "get", post_only),
        ("preguntas:alumno_liberar", [code, world["alumnos"][0].pk], "post", owner_post),
        ("preguntas:alumno_quitar", [code, world["alumnos"][0].pk], "get", post_only),
        ("preguntas:lista_csv", [code], "get", owner_only),
        ("preguntas:tareas", [code], "get", owner_only),
        ("preguntas:tareas", [code], "post", {"anonymous": LOGIN, "alice": 400, "bob": 404, "staff": 404}),
        ("preguntas:tarea", [code, tarea.pk if tarea else 0], "get", owner_only),
        ("preguntas:tarea_progreso", [code, tarea.pk if tarea else 0], "get", owner_only),
        ("preguntas:tarea_plazo", [code, tarea.pk if tarea else 0], "get", post_only),
        ("preguntas:tarea_plazo", [code, tarea.pk if tarea else 0], "post", owner_post),  # no date given: a warning
        ("preguntas:tarea_borrar", [code, tarea.pk if tarea else 0], "get", post_only),
        ("preguntas:lista_plantilla_csv", [], "get", all_teachers),
        ("preguntas:preguntas", [], "get", all_teachers),
        ("preguntas:pregunta_nueva", [], "get", all_teachers),
        ("preguntas:pregunta_editar", [world["pregunta"].pk], "get", owner_only),
        ("preguntas:pregunta_copiar", [world["pregunta"].pk], "get", post_only),
        # Only a shared question can be copied; alice's own is nobody's to copy.
        ("preguntas:pregunta_copiar", [world["pregunta"].pk], "post", {"anonymous": LOGIN, "alice": 404, "bob": 404, "staff": 404}),
        ("preguntas:pregunta_copiar", [world.get("compartida", world["pregunta"]).pk], "post", all_teachers_post),
        ("preguntas:preguntas_borrar", [], "get", post_only),
        ("preguntas:preguntas_borrar", [], "post", all_teachers_post),
        ("preguntas:importar", [], "get", all_teachers),
        ("preguntas:plantilla_csv", [], "get", all_teachers),
        ("preguntas:exportar_csv", [], "get", all_teachers),
        ("preguntas:exportar", ["gift"], "get", all_teachers),
        ("preguntas:exportar", ["kahoot"], "get", all_teachers),
        ("preguntas:cuestionarios", [], "get", all_teachers),
        ("preguntas:cuestionario", [quiz.pk if quiz else 0], "get", owner_only),
        ("preguntas:cuestionario_editar", [quiz.pk if quiz else 0], "get", post_only),
        (
            "preguntas:cuestionario_editar",
            [quiz.pk if quiz else 0],
            "post",
            {"anonymous": LOGIN, "alice": 400, "bob": 404, "staff": 404},  # no action given: a bad request
        ),
        ("usuarios:login", [], "get", public),
        ("usuarios:logout", [], "get", {role: 405 for role in public}),
        ("usuarios:password_change", [], "get", all_teachers),
        ("usuarios:password_change_done", [], "get", all_teachers),
        ("usuarios:password_reset", [], "get", public),
        ("usuarios:password_reset_done", [], "get", public),
        ("usuarios:password_reset_confirm", ["MQ", "no-es-un-token"], "get", public),
        ("usuarios:password_reset_complete", [], "get", public),
    ]
    rows += [(f"admin:preguntas_{model}_changelist", [], "get", admin_only) for model in admin_models()]
    rows += [
        ("admin:preguntas_aula_change", [aula.pk], "get", admin_only),
        ("admin:preguntas_alumno_change", [world["alumnos"][0].pk], "get", admin_only),
        # Near the end: it deletes the homework the pages above show.
        ("preguntas:tarea_borrar", [code, tarea.pk if tarea else 0], "post", owner_post),
        ("usuarios:logout", [], "post", {role: LOGIN for role in public}),  # last: it ends the session
    ]
    return [(name, url, method, expected) for name, args, method, expected in rows if (url := url_or_none(name, args))]


def url_or_none(name, args):
    """The page's URL; None for a page this version of the app does not have."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def test_the_matrix_names_every_page():
    named = {f"preguntas:{p.name}" for p in preguntas_urls.urlpatterns} | {
        f"usuarios:{p.name}" for p in usuarios_urls.urlpatterns
    }

    class Fake:
        codigo = "AULA01"
        pk = 1

    covered = {row[0] for row in pages({"aula": Fake, "pregunta": Fake, "alumnos": [Fake], "cuestionario": Fake, "tarea": Fake})}
    assert named <= covered, f"pages missing from the authorization matrix: {sorted(named - covered)}"
    core_models = ["aula", "alumno", "pregunta", "respuesta", "ronda"]
    assert {f"admin:preguntas_{model}_changelist" for model in core_models} <= covered


def client_for(role, users) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def outcome(response) -> object:
    if response.status_code == 302:
        if response.url.startswith(reverse("usuarios:login")):
            return LOGIN
        if response.url.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "alice", "bob", "staff"])
def test_every_page_for_every_role(role, world, alice, bob, staff):
    users = {"alice": alice, "bob": bob, "staff": staff}
    client = client_for(role, users)
    wrong = []
    for name, url, method, expected in pages(world):
        response = getattr(client, method)(url)
        if outcome(response) != expected[role]:
            wrong.append(f"{method.upper()} {url} ({name}): {outcome(response)}, expected {expected[role]}")
        if response.status_code == 200 and role != "alice" and not name.startswith("admin:"):
            body = response.content.decode("utf-8", "replace")
            wrong += [f"{url} shows {secret!r} to {role}" for secret in SECRETS if secret in body]
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_owner_sees_the_results_and_nobody_else_changes_them(client, world, alice, bob):
    client.force_login(alice)
    csv = client.get(reverse("preguntas:resultados_csv", args=[world["aula"].codigo])).content.decode("utf-8-sig")
    assert "Ana Secreta" in csv and "Beto Secreto" in csv
    client.force_login(bob)
    for name in ("aula_editar", "aula_archivar"):
        client.post(reverse(f"preguntas:{name}", args=[world["aula"].codigo]), {"nombre": "Robada"})
    client.post(reverse("preguntas:pregunta_editar", args=[world["pregunta"].pk]), {"texto": "x", "respuesta": "False"})
    world["aula"].refresh_from_db()
    world["pregunta"].refresh_from_db()
    assert (world["aula"].nombre, world["aula"].archivada) == ("3ºB Geografía", False)
    assert world["pregunta"].texto == "Bogotá es la capital de Colombia."


@pytest.mark.django_db
def test_nobody_deletes_or_archives_another_teachers_question(client, world, bob):
    client.force_login(bob)
    client.post(reverse("preguntas:preguntas_borrar"), {"pregunta": [world["pregunta"].pk, world["alice_pregunta"].pk]})
    world["pregunta"].refresh_from_db()
    world["alice_pregunta"].refresh_from_db()
    assert not world["pregunta"].archivada and not world["alice_pregunta"].archivada


@pytest.mark.django_db
def test_staff_without_model_permissions_get_403_in_the_admin(client, world):
    clerk = TeacherFactory(username="clerk", is_staff=True)
    client.force_login(clerk)
    for model in admin_models():
        assert client.get(reverse(f"admin:preguntas_{model}_changelist")).status_code == 403


@pytest.mark.django_db
def test_the_admin_never_shows_a_students_token(client, world, staff):
    client.force_login(staff)
    alumno = world["alumnos"][0]
    urls = [
        reverse("admin:preguntas_alumno_changelist"),
        reverse("admin:preguntas_alumno_change", args=[alumno.pk]),
        reverse("admin:preguntas_aula_change", args=[world["aula"].pk]),
        reverse("admin:preguntas_respuesta_changelist"),
        reverse("admin:preguntas_alumno_history", args=[alumno.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        for a in world["alumnos"]:
            assert a.token not in response.content.decode(), url
    # Nor can staff set one: the field is not in the form.
    data = {"nombre": "Ana", "aula": world["aula"].pk, "token": "elegido"}
    client.post(reverse("admin:preguntas_alumno_change", args=[alumno.pk]), data)
    alumno.refresh_from_db()
    assert alumno.token != "elegido"


# Socket actions -----------------------------------------------------------------------

SOCKET_ROLES = ["anonymous", "student", "owner", "other_teacher", "staff"]
TEACHER_ONLY = {"push": "forbidden", "close": "forbidden", "split": "forbidden", "revote": "forbidden",
                "leaderboard": "forbidden", "lock": "forbidden", "remove": "forbidden", "rename": "forbidden"}
EXPECTED = {
    # role: {action: the frame type it gets, or the error code}
    "anonymous": {**TEACHER_ONLY, "join": "joined", "answer": "not_joined", "seats": "seats", "change_name": "not_joined"},
    "student": {**TEACHER_ONLY, "join": "already_joined", "answer": "answered", "seats": "seats", "change_name": "renamed"},
    "owner": {"push": "question", "close": "closed", "split": "split", "revote": "question",
              "leaderboard": "leaderboard", "lock": "locked", "remove": "roster", "rename": "roster",
              "join": "forbidden", "answer": "forbidden", "seats": "forbidden", "change_name": "forbidden"},
    "other_teacher": {**TEACHER_ONLY, "join": "joined", "answer": "not_joined", "seats": "seats", "change_name": "not_joined"},
    "staff": {**TEACHER_ONLY, "join": "joined", "answer": "not_joined", "seats": "seats", "change_name": "not_joined"},
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "action",
    ["push", "close", "split", "revote", "leaderboard", "lock", "remove", "rename", "join", "answer", "seats", "change_name"],
)
@pytest.mark.parametrize("role", SOCKET_ROLES)
async def test_every_socket_action_for_every_role(role, action, aula, alice, bob, staff, pregunta):
    other = await database_sync_to_async(PreguntaFactory)(propietario=alice, respuesta=False)
    aula.clasificacion = Clasificacion.TOP5
    await database_sync_to_async(aula.save)()
    owner_socket, _ = await teacher(aula.codigo, alice)
    target_socket, target, _ = await student(aula.codigo, "Objetivo")
    target_id = target["student"]["id"]
    await send(owner_socket, {"type": "push", "question": pregunta.pk})
    question = await receive_type(owner_socket, "question")

    if role == "owner":
        socket = owner_socket
    elif role == "student":
        socket, _, _ = await student(aula.codigo, "Ana")
    else:
        socket = await open_socket(aula.codigo, {"other_teacher": bob, "staff": staff}.get(role))
    frames = {
        "push": {"type": "push", "question": other.pk},
        "close": {"type": "close", "round": question["round"]},
        "split": {"type": "split", "round": question["round"]},
        "revote": {"type": "revote", "round": question["round"]},
        "leaderboard": {"type": "leaderboard"},
        "lock": {"type": "lock", "locked": True},
        "remove": {"type": "remove", "student": target_id},
        "rename": {"type": "rename", "student": target_id, "name": "Renombrada"},
        "seats": {"type": "seats"},
        "change_name": {"type": "change_name", "name": "Otra"},
        "join": {"type": "join", "name": "Intrusa"},
        "answer": {"type": "answer", "round": question["round"], "value": True},
    }
    await send(socket, frames[action])
    expected = EXPECTED[role][action]
    frame = await receive(socket)
    while frame["type"] not in ("error", expected):  # e.g. the `closed` of the round a push replaces
        frame = await receive(socket)
    if expected in ("question", "closed", "split", "leaderboard", "seats", "joined", "answered", "locked", "roster", "renamed"):
        assert frame["type"] == expected, frame
    else:
        assert (frame["type"], frame.get("code")) == ("error", expected), frame

    rondas = await database_sync_to_async(lambda: list(Ronda.objects.values_list("pk", "cerrada")))()
    if not (role == "owner" and action in ("push", "close", "revote")):
        assert rondas == [(question["round"], None)], "the round must be untouched"
    answers = await database_sync_to_async(Respuesta.objects.count)()
    assert answers == (1 if (role, action) == ("student", "answer") else 0)
    objetivo = await database_sync_to_async(Alumno.objects.get)(pk=target_id)
    locked = await database_sync_to_async(lambda: Aula.objects.get(pk=aula.pk).bloqueada)()
    owner_did = role == "owner"
    assert (objetivo.nombre == "Renombrada") == (owner_did and action == "rename")
    assert objetivo.retirado == (owner_did and action == "remove")
    assert locked == (owner_did and action == "lock")
    for s in {owner_socket, socket, target_socket}:
        await s.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_students_never_see_the_answer_before_close_nor_each_other(aula, alice, bob, pregunta):
    """Every frame a student receives before a round closes: no `correct`, no other token, no one else's answers."""
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, ana_joined, _ = await student(aula.codigo, "Ana")
    beto, beto_joined, _ = await student(aula.codigo, "Beto")
    bob_socket = await open_socket(aula.codigo, bob)  # a teacher, but a student here
    await send(bob_socket, {"type": "join", "name": "Bob"})
    bob_joined = await receive(bob_socket)
    await receive_type(bob_socket, "state")
    tokens = {"ana": ana_joined["token"], "beto": beto_joined["token"], "bob": bob_joined["token"]}
    sockets = {"ana": ana, "beto": beto, "bob": bob_socket}
    seen = {name: [] for name in sockets}

    async def drain(name, until=None):
        """Everything that arrives on a student's socket, up to a frame of type `until`."""
        while True:
            # (a timed-out receive_from would cancel the socket's consumer: ask first)
            if until is None and await sockets[name].receive_nothing(timeout=0.3):
                return
            text = await sockets[name].receive_from(timeout=5)
            seen[name].append(text)
            if until and json.loads(text)["type"] == until:
                return

    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    question = await receive_type(teacher_socket, "question")
    for name in sockets:
        await drain(name, until="question")
    await send(ana, {"type": "answer", "round": question["round"], "value": True})
    await send(beto, {"type": "answer", "round": question["round"], "value": False})
    await drain("ana", until="answered")
    await drain("beto", until="answered")
    # Beto reloads: his state tells him his own answer only.
    await beto.disconnect()
    sockets["beto"] = await open_socket(aula.codigo)
    await send(sockets["beto"], {"type": "join", "token": tokens["beto"]})
    await drain("beto", until="state")
    for name in sockets:
        await send(sockets[name], {"type": "ping"})
        await drain(name, until="pong")
    await drain("bob")

    for name, texts in seen.items():
        for text in texts:
            frame = json.loads(text)
            assert frame["type"] not in ("closed", "tally", "roster"), (name, frame)
            assert not has_key(frame, "correct"), (name, frame)
            assert not any(has_key(frame, key) for key in ("answers", "students", "tally")), (name, frame)
            others = [token for who, token in tokens.items() if who != name]
            assert not any(token in text for token in others), (name, frame)
            if frame["type"] == "state":
                assert name == "beto", frame
                assert (frame["answered"], frame["value"]) == (True, False), frame  # his own answer only

    await send(teacher_socket, {"type": "close", "round": question["round"]})
    for name in sockets:
        seen[name] = []
        await drain(name, until="closed")
        closed = json.loads(seen[name][-1])
        assert closed == {
            "type": "closed", "round": question["round"], "correct": True, "right_options": ["true"], "true": 1, "false": 1, "answered": 2,
            "explanation": None,
        }
    for socket in (teacher_socket, *sockets.values()):
        await socket.disconnect()
