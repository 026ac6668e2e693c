"""Web hygiene: CSRF on every form, Origin on sockets, login lockout, security headers, CSP-clean pages."""

import io
import time
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt
from channels.testing import WebsocketCommunicator
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import AsyncClient, Client, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from preguntas.models import Aula, Pregunta
from QuestionsRT.asgi import application
from tests.factories import AlumnoFactory, PreguntaFactory, RespuestaFactory, RondaFactory
from tests.sockets import receive, session_cookie

PASSWORD = "contrasena-segura"  # tests/factories.py
LOCKED = "Demasiados intentos fallidos"


# CSRF -------------------------------------------------------------------------------


def post_targets(aula, pregunta):
    """(URL name, url, data) for every form that changes something; data that would succeed with a token."""
    rows = [
        ("usuarios:login", [], {"username": "alice", "password": PASSWORD}),
        ("usuarios:logout", [], {}),
        (
            "usuarios:password_change",
            [],
            {"old_password": PASSWORD, "new_password1": "otra-clave-larga-9", "new_password2": "otra-clave-larga-9"},
        ),
        ("preguntas:aulas", [], {"nombre": "Aula creada sin token"}),
        ("preguntas:aula_editar", [aula.codigo], {"nombre": "Renombrada sin token"}),
        ("preguntas:aula_archivar", [aula.codigo], {}),
        ("preguntas:pregunta_nueva", [], {"texto": "Creada sin token", "respuesta": "True", "tema": ""}),
        ("preguntas:pregunta_editar", [pregunta.pk], {"texto": "Editada sin token", "respuesta": "False", "tema": ""}),
        ("preguntas:cuestionarios", [], {"nombre": "Cuestionario sin token"}),
        ("preguntas:importar", [], {}),
        ("admin:login", [], {"username": "alice", "password": PASSWORD}),
        ("admin:preguntas_aula_changelist", [], {"action": "delete_selected", "_selected_action": [aula.pk]}),
        ("admin:preguntas_pregunta_add", [], {"texto": "Creada sin token", "respuesta": "on"}),
    ]
    out = []
    for name, args, data in rows:
        try:
            out.append((name, reverse(name, args=args), data))
        except NoReverseMatch:  # a page this version of the app does not have
            pass
    return out


@pytest.mark.django_db
def test_every_form_refuses_a_post_without_the_csrf_token(aula, pregunta, alice, staff):
    wrong = []
    for name, url, data in post_targets(aula, pregunta):
        client = Client(enforce_csrf_checks=True)
        if name not in ("usuarios:login", "admin:login"):
            client.force_login(staff if name.startswith("admin:") else alice)
        response = client.post(url, data)
        if response.status_code != 403:
            wrong.append(f"POST {url} without a CSRF token: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    aula.refresh_from_db()
    pregunta.refresh_from_db()
    assert (aula.nombre, aula.archivada) == ("3ºB Geografía", False)
    assert pregunta.texto == "Bogotá es la capital de Colombia."
    assert not Pregunta.objects.filter(texto="Creada sin token").exists()
    assert Aula.objects.count() == 1
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.django_db
def test_the_same_post_with_the_token_from_the_page_goes_through(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(reverse("preguntas:aulas"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("preguntas:aulas"), {"nombre": "Con token", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Aula.objects.filter(nombre="Con token").exists()


class Forms(HTMLParser):
    """Collects every <form>: its method and whether it carries the CSRF token."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (attrs.get("method") or "get").lower(), "csrf": False})
        elif tag == "input" and attrs.get("name") == "csrfmiddlewaretoken" and self.forms:
            self.forms[-1]["csrf"] = True


def teacher_pages(aula, pregunta):
    names = [
        ("preguntas:aulas", []),
        ("preguntas:panel", [aula.codigo]),
        ("preguntas:aula_editar", [aula.codigo]),
        ("preguntas:resultados", [aula.codigo]),
        ("preguntas:proyector", [aula.codigo]),
        ("preguntas:preguntas", []),
        ("preguntas:pregunta_nueva", []),
        ("preguntas:pregunta_editar", [pregunta.pk]),
        ("preguntas:importar", []),
        ("preguntas:cuestionarios", []),
        ("usuarios:password_change", []),
        ("usuarios:password_change_done", []),
    ]
    urls = []
    for name, args in names:
        try:
            urls.append(reverse(name, args=args))
        except NoReverseMatch:
            pass
    return urls


@pytest.mark.django_db
def test_every_post_form_on_every_page_carries_the_csrf_token(client, aula, pregunta, alice):
    public = [reverse("usuarios:login"), reverse("preguntas:alumno"), reverse("admin:login")]
    pages = [(url, None) for url in public] + [(url, alice) for url in teacher_pages(aula, pregunta)]
    seen = 0
    for url, user in pages:
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        parser = Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form["method"] == "post":
                seen += 1
                assert form["csrf"], f"a POST form on {url} has no CSRF token"
    assert seen >= 8


# Origin on sockets --------------------------------------------------------------------

FOREIGN_ORIGINS = [
    b"http://localhost:9999",  # the same host, another port
    b"https://localhost",  # the same host, another scheme
    b"http://evil.example",
    b"https://evil.example",
    b"http://localhost.evil.example",
    b"http://evil.example/http://localhost",
    b"null",
    b"file://",
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("origin", FOREIGN_ORIGINS + [None], ids=[o.decode() for o in FOREIGN_ORIGINS] + ["none"])
async def test_a_cross_site_page_cannot_open_a_teacher_socket_with_the_teachers_cookie(aula, alice, origin):
    headers = [(b"host", b"localhost"), (b"cookie", await session_cookie(alice))]
    if origin is not None:
        headers.append((b"origin", origin))
    communicator = WebsocketCommunicator(application, f"/ws/aula/{aula.codigo}/", headers=headers)
    connected, _ = await communicator.connect()
    assert not connected, f"a socket from Origin {origin!r} was accepted"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "host, origin, proxy_proto",
    [
        (b"localhost", b"http://localhost", None),
        (b"localhost:8000", b"http://localhost:8000", None),
        (b"127.0.0.1:8443", b"https://127.0.0.1:8443", b"https"),  # TLS ended at the proxy
    ],
)
async def test_the_sites_own_origin_opens_the_teacher_socket(aula, alice, settings, host, origin, proxy_proto):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    headers = [(b"host", host), (b"origin", origin), (b"cookie", await session_cookie(alice))]
    if proxy_proto:
        headers.append((b"x-forwarded-proto", proxy_proto))
    communicator = WebsocketCommunicator(application, f"/ws/aula/{aula.codigo}/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    state = await receive(communicator)
    assert state["type"] == "state" and "students" in state  # the teacher's state
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "trusted, origin, accepted",
    [
        (["https://quiz.example.org"], b"https://quiz.example.org", True),
        (["https://*.example.org"], b"https://aula.example.org", True),
        (["https://*.example.org"], b"http://aula.example.org", False),
        (["https://quiz.example.org"], b"https://quiz.example.org:8443", False),
    ],
)
async def test_csrf_trusted_origins_open_sockets_as_they_post_forms(aula, alice, settings, trusted, origin, accepted):
    settings.CSRF_TRUSTED_ORIGINS = trusted
    headers = [(b"host", b"localhost"), (b"origin", origin), (b"cookie", await session_cookie(alice))]
    communicator = WebsocketCommunicator(application, f"/ws/aula/{aula.codigo}/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected is accepted
    if connected:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_host_outside_allowed_hosts_is_refused_even_with_a_matching_origin(aula, alice):
    headers = [(b"host", b"evil.example"), (b"origin", b"http://evil.example"), (b"cookie", await session_cookie(alice))]
    communicator = WebsocketCommunicator(application, f"/ws/aula/{aula.codigo}/", headers=headers)
    connected, _ = await communicator.connect()
    assert not connected


# Login lockout ------------------------------------------------------------------------


def login(client, username, password, address="10.0.0.1", url=None):
    data = {"username": username, "password": password}
    return client.post(url or reverse("usuarios:login"), data, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.django_db
def test_five_failures_lock_the_username_from_that_address(client, alice):
    for _ in range(5):
        response = login(client, "alice", "mala")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    response = login(client, "alice", PASSWORD)  # the right password, too late
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "15 minutos" in response.content.decode()
    assert not logged_in(client)


@pytest.mark.django_db
def test_the_lock_spares_other_addresses_and_other_usernames(alice, bob):
    attacker = Client()
    for _ in range(5):
        login(attacker, "alice", "mala", address="10.6.6.6")
    assert login(attacker, "alice", PASSWORD, address="10.6.6.6").status_code == 429
    bob_client = Client()
    assert login(bob_client, "bob", PASSWORD, address="10.6.6.6").status_code == 302  # same address, other user
    alice_client = Client()
    assert login(alice_client, "alice", PASSWORD, address="10.0.0.7").status_code == 302  # alice, from class
    assert logged_in(alice_client)


@pytest.mark.django_db
def test_unknown_usernames_lock_the_same_way(client):
    for _ in range(5):
        assert login(client, "nadie", "mala").status_code == 200
    response = login(client, "nadie", "mala")
    assert response.status_code == 429 and LOCKED in response.content.decode()


@pytest.mark.django_db
def test_a_success_clears_the_count(client, alice):
    for _ in range(4):
        login(client, "alice", "mala")
    assert login(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "alice", "mala")
    assert login(client, "alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_username_case_and_spaces_do_not_reset_the_count(client, alice):
    for username in ["alice", "ALICE", "Alice", " alice", "alice "]:
        login(client, username, "mala")
    assert login(client, "alice", PASSWORD).status_code == 429


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=timedelta(seconds=1))  # QRT_LOGIN_MAX_FAILURES=2, QRT_LOGIN_LOCKOUT_SECONDS=1
def test_the_lock_expires(client, alice):
    login(client, "alice", "mala")
    login(client, "alice", "mala")
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 429 and "1 minuto " in response.content.decode()
    time.sleep(1.1)
    assert login(client, "alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_message_says_how_long_the_lock_has_left(client, alice):
    for _ in range(5):
        login(client, "alice", "mala")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10))
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 429 and "espera 5 minutos" in response.content.decode()


@pytest.mark.django_db
def test_the_admin_login_is_locked_too(client, staff):
    url = reverse("admin:login")
    for _ in range(5):
        login(client, "staff", "mala", url=url)
    response = login(client, "staff", PASSWORD, url=url)
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


@pytest.mark.django_db
def test_a_non_staff_login_at_the_admin_is_not_counted_as_a_failure(client, alice):
    url = reverse("admin:login")
    for _ in range(6):
        response = login(client, "alice", PASSWORD, url=url)
        assert LOCKED not in response.content.decode()
    assert login(client, "alice", PASSWORD).status_code == 302


@pytest.mark.django_db(transaction=True)
async def test_the_lockout_reads_the_same_through_asgi(alice):
    """Under Daphne the middleware runs asynchronously, where AxesMiddleware takes another path."""
    client = AsyncClient()
    for _ in range(5):
        response = await client.post(reverse("usuarios:login"), {"username": "alice", "password": "mala"})
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    response = await client.post(reverse("usuarios:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429 and "15 minutos" in response.content.decode()


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_lock(client, alice):
    """Behind nginx, Daphne puts X-Forwarded-For in REMOTE_ADDR; a header the client sends counts for nothing."""
    data = {"username": "alice", "password": "mala"}
    for n in range(5):
        client.post(reverse("usuarios:login"), data, REMOTE_ADDR="10.6.6.6", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    data["password"] = PASSWORD
    response = client.post(reverse("usuarios:login"), data, REMOTE_ADDR="10.6.6.6", HTTP_X_FORWARDED_FOR="10.0.0.7")
    assert response.status_code == 429


@pytest.mark.django_db
def test_another_browser_does_not_reset_the_count(client, alice):
    data = {"username": "alice", "password": "mala"}
    for n in range(5):
        client.post(reverse("usuarios:login"), data, REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT=f"Navegador {n}")
    assert login(client, "alice", PASSWORD, address="10.0.0.1").status_code == 429


@pytest.mark.django_db
def test_the_admin_lists_the_locked_logins(client, alice, staff):
    for _ in range(5):
        login(Client(), "alice", "mala", address="10.6.6.6")
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="axes", codename__startswith="view_"))
    client.force_login(staff)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "alice" in response.content.decode() and "10.6.6.6" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("command", [["axes_reset"], ["axes_reset_username", "alice"], ["axes_reset_ip", "10.6.6.6"]])
def test_a_management_command_lifts_the_lock(alice, command):
    for _ in range(5):
        login(Client(), "alice", "mala", address="10.6.6.6")
    call_command(*command, stdout=io.StringIO())
    assert login(Client(), "alice", PASSWORD, address="10.6.6.6").status_code == 302


# Security headers -----------------------------------------------------------------------


def header_pages(aula, pregunta):
    return teacher_pages(aula, pregunta) + [
        reverse("preguntas:resultados_csv", args=[aula.codigo]),
        reverse("admin:index"),
        "/no-existe/",
    ]


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client, aula, pregunta, alice, staff):
    urls = [reverse("usuarios:login"), reverse("preguntas:alumno"), reverse("preguntas:alumno_codigo", args=["X"])]
    responses = [client.get(url) for url in urls]
    client.force_login(alice)
    responses += [client.get(url) for url in header_pages(aula, pregunta)]
    responses.append(client.post(reverse("preguntas:aula_archivar", args=[aula.codigo])))  # a redirect
    for response in responses:
        url = response.request["PATH_INFO"]
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert "camera=()" in response["Permissions-Policy"], url
        csp = parse_csp(response["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"], url
        assert csp["script-src"] == ["'self'"], url  # no 'unsafe-inline', no 'unsafe-eval', no CDN
        assert csp["style-src"] == ["'self'"], url
        assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"], url
        assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"], url
        assert "ws://testserver" in csp["connect-src"], url


def parse_csp(header: str) -> dict:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_the_socket_source_follows_the_scheme(client):
    response = client.get(reverse("preguntas:alumno"), secure=True)
    assert "wss://testserver" in parse_csp(response["Content-Security-Policy"])["connect-src"]


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_same_site(client, alice):
    response = login(client, "alice", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


class InlineCode(HTMLParser):
    """What a strict CSP blocks: inline scripts, inline handlers, javascript: URLs, <style>, style=."""

    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self.styles, self.style_attributes, self.foreign = [], [], [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append((tag, name, value))
        if "style" in attrs:
            self.style_attributes.append((tag, attrs["style"]))
        if tag == "style":
            self.styles.append(tag)
        if tag == "script":
            kind = attrs.get("type", "text/javascript")
            self._in_script = "src" not in attrs and kind not in ("application/json", "application/ld+json")
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            if tag in ("script", "link", "img", "iframe") and value.startswith(("http:", "https:", "//")):
                self.foreign.append((tag, value))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.scripts.append(data.strip()[:80])


def rendered_pages(client, aula, pregunta, alice):
    """Every page of the app, as the owner teacher (with data on it) and as a visitor."""
    ronda = RondaFactory(aula=aula, pregunta=pregunta)
    RespuestaFactory(ronda=ronda, alumno=AlumnoFactory(aula=aula, nombre="Ana"))
    PreguntaFactory(propietario=alice, tema="Ríos")  # topics: the search box shows its select
    pages = {url: client.get(url) for url in [reverse("usuarios:login"), reverse("preguntas:alumno")]}
    client.force_login(alice)
    pages.update({url: client.get(url) for url in teacher_pages(aula, pregunta)})
    return pages


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_handlers_or_foreign_resources(client, aula, pregunta, alice):
    for url, response in rendered_pages(client, aula, pregunta, alice).items():
        assert response.status_code == 200, url
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert not parser.scripts, f"{url}: inline <script> {parser.scripts}"
        assert not parser.handlers, f"{url}: inline handler {parser.handlers}"
        assert not parser.styles, f"{url}: <style> element"
        assert not parser.foreign, f"{url}: resources from another site {parser.foreign}"


@pytest.mark.django_db
def test_pages_have_no_inline_style_attributes(client, aula, pregunta, alice):
    found = {}
    for url, response in rendered_pages(client, aula, pregunta, alice).items():
        parser = InlineCode()
        parser.feed(response.content.decode())
        if parser.style_attributes:
            found[url] = parser.style_attributes
    assert not found, found
