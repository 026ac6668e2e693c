"""No parameter answers a 500, whatever it holds.

For every URL pattern of the site (the admin aside: Django's own, and alice is no staff, so it
sends her to its login before reading anything), as the owner teacher alice: every GET and POST
parameter the page reads, and every part of its path, gets junk (not a number, a number too big
for any integer column, negative, empty, very long, NUL, a lone surrogate, several values), one
at a time while the others hold good values, and all at once. A bad value is a 400, a 404 or the
form again with its errors: never an exception.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from preguntas import forms as preguntas_forms
from preguntas.game import homework
from tests.factories import AlumnoFactory, AulaFactory, CuestionarioFactory, PreguntaFactory, RondaFactory
from usuarios import forms as usuarios_forms

pytestmark = pytest.mark.django_db

PASSWORD = "contraseña-de-alice-1"
JUNK = [
    "abc",
    "1.5",
    "1e3",
    str(2**31),
    str(2**63),
    str(2**64),
    "9" * 40,
    "-1",
    "0",
    "",
    " ",
    "x" * 10_000,
    "\x00",
    "1\x00",
    "\ud800",  # a lone surrogate: sent as the bytes Python's "surrogatepass" gives it, not UTF-8
    "٣",  # a digit, but not an ASCII one
    "<script>alert(1)</script>",
]
PATH_JUNK = {
    "text": ["abc", "x" * 2000, "\x00", "AULA01\x00", "\ud800", "ñ", "-1", "AULA01 "],
    "int": ["0", str(2**31), str(2**63), str(2**64), "9" * 40],
}


def world_values(alice) -> dict[str, object]:
    """Good values for every path part and parameter, from alice's own things."""
    aula = AulaFactory(propietario=alice, codigo="AULA01")
    pregunta = PreguntaFactory(propietario=alice, texto="Bogotá es la capital de Colombia.", tema="Capitales")
    quiz = CuestionarioFactory(propietario=alice, nombre="Capitales")
    quiz.anadir(pregunta)
    RondaFactory(aula=aula, pregunta=pregunta)
    alumno = AlumnoFactory(aula=aula, nombre="Ana", en_lista=True)
    now = timezone.now()
    tarea = homework.assign(aula, quiz, abre=now - timedelta(hours=1), vence=now + timedelta(days=1))
    return {"codigo": aula.codigo, "alumno": alumno.pk, "pregunta": pregunta.pk, "cuestionario": quiz.pk, "tarea": tarea.pk}


def parameters(values) -> dict[str, dict[str, dict[str, object]]]:
    """For each URL name: the path parts, and the GET and POST parameters it reads, with good values."""
    search = {"q": "Bogotá", "tema": "Capitales"}
    classroom = {"codigo": values["codigo"]}
    student = {**classroom, "pk": values["alumno"]}
    homework_page = {**classroom, "pk": values.get("tarea", 1)}
    return {
        "preguntas:alumno": {},
        "preguntas:alumno_codigo": {"path": classroom},
        "preguntas:aulas": {"POST": {"nombre": "Aula nueva"}},
        "preguntas:panel": {"path": classroom, "GET": {**search, "cuestionario": values["cuestionario"]}},
        "preguntas:aula_editar": {
            "path": classroom,
            "POST": {"nombre": "Aula", "puntos_velocidad": "on", "clasificacion": "top5", "reparto_en_directo": "on"},
        },
        "preguntas:aula_archivar": {"path": classroom},
        "preguntas:proyector": {"path": classroom, "GET": {"nombres": "1"}},
        "preguntas:resultados": {"path": classroom},
        "preguntas:resultados_csv": {"path": classroom},
        "preguntas:cuaderno_csv": {"path": classroom},
        "preguntas:resultados_xlsx": {"path": classroom},
        "preguntas:cuaderno_xlsx": {"path": classroom},
        "preguntas:alumnos": {"path": classroom, "POST": {"nombre": "Beto", "numero": "7"}},
        "preguntas:importar_lista": {"path": classroom, "POST": {"archivo": "nombre\nCarla\n"}},
        "preguntas:alumno_historial": {"path": student},
        "preguntas:alumno_tiempo": {"path": student, "POST": {"tiempo_extra": "150"}},
        "preguntas:alumno_liberar": {"path": student},
        "preguntas:alumno_quitar": {"path": student},
        "preguntas:lista_csv": {"path": classroom},
        "preguntas:tareas": {
            "path": classroom,
            "POST": {
                "cuestionario": values["cuestionario"], "abre": "2026-11-29T10:00", "vence": "2026-12-06T10:00",
                "revelar": "al_vencer", "intentos": "2", "cuenta": "mejor", "segundos": "30", "barajar": "on",
            },
        },
        "preguntas:tarea": {"path": homework_page},
        "preguntas:tarea_progreso": {"path": homework_page},
        "preguntas:tarea_plazo": {"path": homework_page, "POST": {"vence": "2026-12-06T10:00"}},
        "preguntas:tarea_borrar": {"path": homework_page},
        "preguntas:tarea_alumno": {"path": homework_page, "GET": {"tras": "1"}},
        "preguntas:tarea_unirse": {"path": homework_page, "POST": {"puesto": values["alumno"], "nombre": "Beto", "token": "abc"}},
        "preguntas:tarea_empezar": {"path": homework_page},
        "preguntas:tarea_responder": {
            "path": homework_page, "POST": {"pregunta": "1", "opcion": "1", "numero": "3,5", "no_seguro": "1"},
        },
        "preguntas:lista_plantilla_csv": {},
        "preguntas:cuestionarios": {"POST": {"nombre": "Ríos"}},
        "preguntas:cuestionario": {"path": {"pk": values["cuestionario"]}, "GET": search},
        "preguntas:cuestionario_editar": {
            "path": {"pk": values["cuestionario"]},
            "GET": search,
            "POST": {"accion": "anadir", "pregunta": values["pregunta"], "nombre": "Capitales 2"},
        },
        "preguntas:preguntas": {"GET": search},
        "preguntas:pregunta_nueva": {"POST": {"texto": "Lima es la capital de Perú.", "respuesta": "True", "tema": "Capitales"}},
        "preguntas:pregunta_editar": {
            "path": {"pk": values["pregunta"]},
            "POST": {
                "texto": "¿Qué río pasa por Zaragoza?", "tipo": "choice", "tema": "Ríos",
                "opciones": ["Ebro", "Tajo", "Duero"], "opciones_clave": ["1", "n1", "n2"], "opciones_correcta": "1",
                "respuesta": "True", "numero": "3,14", "tolerancia": "0,5", "explicacion": "Zaragoza está a orillas del Ebro.",
                "imagen": "", "imagen_alt": "Mapa", "quitar_imagen": "on",
            },
        },
        "preguntas:preguntas_borrar": {"POST": {"pregunta": values["pregunta"]}},
        "preguntas:pregunta_copiar": {"path": {"pk": values["pregunta"]}},
        "preguntas:importar": {"POST": {"archivo": "texto,respuesta\nUna,v\n"}},
        "preguntas:plantilla_csv": {},
        "preguntas:exportar_csv": {},
        "preguntas:exportar": {"path": {"formato": "gift"}},
        "usuarios:login": {"GET": {"next": "/aulas/"}, "POST": {"username": "alice", "password": PASSWORD, "next": "/aulas/"}},
        "usuarios:logout": {"POST": {"next": "/aulas/"}},
        "usuarios:password_change": {
            "POST": {"old_password": PASSWORD, "new_password1": "otra-clave-larga-9", "new_password2": "otra-clave-larga-9"}
        },
        "usuarios:password_change_done": {},
        "usuarios:password_reset": {"POST": {"email": "alice@example.org"}},
        "usuarios:password_reset_done": {},
        "usuarios:password_reset_confirm": {
            "path": {"uidb64": "MQ", "token": "set-password"},
            "POST": {"new_password1": "otra-clave-larga-9", "new_password2": "otra-clave-larga-9"},
        },
        "usuarios:password_reset_complete": {},
        "set_language": {"GET": {"next": "/aulas/"}, "POST": {"language": "en", "next": "/aulas/"}},
        "javascript-catalog": {},
        "healthz": {},
        "media": {"path": {"path": "preguntas/2026/11/no-existe.webp"}},
    }


def url_patterns(resolver=None, namespace=""):
    """(URL name, {path part: converter type}) for every pattern of the site but the admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = {name: type(c).__name__.removesuffix("Converter").lower() for name, c in entry.pattern.converters.items()}
            yield f"{namespace}{entry.name}", converters


def encode(params: dict[str, object]) -> str:
    """A query string or form body; a value may be a list (the key repeated) or hold a lone surrogate."""
    pairs = []
    for key, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{quote(key)}={quote(str(item).encode('utf-8', 'surrogatepass'))}")
    return "&".join(pairs)


def variants(good: dict[str, object]):
    """The good parameters with each one junk in turn, then twice (a list), then all junk at once."""
    yield good
    for key, value in good.items():
        for junk in JUNK:
            yield {**good, key: junk}
        yield {**good, key: [value, "abc"]}
        yield {**good, key: ["abc", value]}
    if good:
        for junk in JUNK:
            yield {key: junk for key in good}


def junk_paths(name, converters, path_values):
    """The page's URL with good path parts, then with each part junk in turn."""
    yield reverse(name, kwargs=path_values)
    for part, kind in converters.items():
        for junk in PATH_JUNK["int" if kind == "int" else "text"]:
            marker = "987654321" if kind == "int" else "MARCADOR"
            url = reverse(name, kwargs={**path_values, part: marker})
            yield url.replace(marker, quote(junk.encode("utf-8", "surrogatepass"), safe=""))


def test_every_url_pattern_and_every_parameter_a_page_reads_is_in_the_table(alice):
    table = parameters({"codigo": "AULA01", "alumno": 1, "pregunta": 1, "cuestionario": 1})
    names = {name for name, _ in url_patterns()}
    assert names - set(table) == set(), "add these pages to parameters()"
    for name, converters in url_patterns():
        assert set(converters) == set(table[name].get("path", {})), name

    listed = {key for page in table.values() for method in ("GET", "POST") for key in page.get(method, {})}
    code = "\n".join(p.read_text() for folder in ("preguntas/views", "usuarios") for p in Path(settings.BASE_DIR, folder).glob("*.py"))
    read = set(re.findall(r"request\.(?:GET|POST)(?:\.get\(|\[)\s*[\"'](\w+)[\"']", code))
    assert read and read - listed == set(), "parameters read by a view but missing from parameters()"
    fields = {
        field
        for module in (preguntas_forms, usuarios_forms)
        for form in vars(module).values()
        if isinstance(form, type) and issubclass(form, django_forms.BaseForm) and form.__module__ == module.__name__
        for field in form.base_fields
    }
    assert fields and fields - listed == set(), "form fields missing from parameters()"


def pages():
    """Every URL name; /healthz queries the database from another thread: it needs real transactions."""
    return [
        pytest.param(name, marks=pytest.mark.django_db(transaction=True)) if name == "healthz" else name
        for name, _ in url_patterns()
    ]


@pytest.mark.parametrize("name", pages())
def test_no_junk_in_a_parameter_or_the_path_gives_a_500(client, alice, name):
    alice.set_password(PASSWORD)
    alice.save()
    page = parameters(world_values(alice))[name]
    converters = dict(url_patterns())[name]
    crashes = []

    def check(method, url, params, files=None):
        client.force_login(alice)  # a logout or a password change ends the session
        try:
            if method == "GET":
                response = client.get(f"{url}?{encode(params)}" if params else url)
            elif files:
                response = client.post(url, {**params, **files})
            else:
                response = client.post(url, encode(params), content_type="application/x-www-form-urlencoded")
        except Exception as error:  # the test client re-raises what the view raised
            crashes.append(f"{method} {url} {params!r:.200}: {type(error).__name__}: {error!s:.200}")
            return
        if response.status_code >= 500:
            crashes.append(f"{method} {url} {params!r:.200}: {response.status_code}")

    urls = list(junk_paths(name, converters, page.get("path", {})))
    for method in ("GET", "POST"):
        good = page.get(method, {})
        for url in urls[1:]:
            check(method, url, good)
        for params in variants(good):
            check(method, urls[0], params)
    if "archivo" in page.get("POST", {}):  # the same junk as an uploaded file
        for junk in JUNK:
            upload = SimpleUploadedFile("lista.csv", junk.encode("utf-8", "surrogatepass"), "text/csv")
            check("POST", urls[0], {}, files={"archivo": upload})
    assert crashes == [], "\n".join(crashes[:20])
