"""English next to Spanish: complete catalogs, compiled catalogs in step, and the switch.

Pages follow the language cookie or Accept-Language (LocaleMiddleware); the
classroom socket follows the same two when it connects, so its error details
reach each student in their own language.
"""

import ast
import asyncio
import gettext
import re
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from QuestionsRT.asgi import application
from tests.sockets import ORIGIN, TIMEOUT, receive, send, student

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """LocaleMiddleware leaves the request's language active in the test's thread."""
    yield
    translation.deactivate()


# Catalogs -----------------------------------------------------------------


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list) and flags."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"flags": set(), "msgstr": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):  # an obsolete entry: not in the catalog
                entry = None
                break
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if line.startswith("#") or not line.strip():
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
            if match:
                key = match.group(1)
                text = ast.literal_eval(match.group(3))
                if key.startswith("msgstr"):
                    index = int(match.group(2) or 0)
                    entry["msgstr"][index] = text
                    key = ("msgstr", index)
                else:
                    entry[key] = text
            else:  # a continuation line
                text = ast.literal_eval(line.strip())
                if isinstance(key, tuple):
                    entry["msgstr"][key[1]] += text
                else:
                    entry[key] += text
        if entry is not None and "msgid" in entry:
            entries.append(entry)
    return entries


def messages(domain: str) -> list[dict]:
    """The translatable entries (without the header)."""
    return [e for e in read_po(LOCALE_DIR / f"{domain}.po") if e["msgid"]]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_is_translated_and_none_is_fuzzy(domain):
    entries = read_po(LOCALE_DIR / f"{domain}.po")
    header = next(e for e in entries if e["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    assert "charset=UTF-8" in header["msgstr"][0]
    assert "Language: en" in header["msgstr"][0]
    translatable = [e for e in entries if e["msgid"]]
    assert translatable, f"{domain}.po has no messages"
    untranslated = [e["msgid"] for e in translatable if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in translatable if "fuzzy" in e["flags"]]
    plurals_missing = [e["msgid"] for e in translatable if "msgid_plural" in e and sorted(e["msgstr"]) != [0, 1]]
    assert untranslated == []
    assert fuzzy == []
    assert plurals_missing == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_placeholders_are_kept(domain):
    placeholder = re.compile(r"%\([a-z_]+\)s|%%|%s|\{\{\s*\w+\s*\}\}")
    for entry in messages(domain):
        for source in filter(None, (entry["msgid"], entry.get("msgid_plural"))):
            for msgstr in entry["msgstr"].values():
                assert sorted(set(placeholder.findall(msgstr))) == sorted(set(placeholder.findall(source))), (
                    entry["msgid"],
                    msgstr,
                )


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalog_matches_the_po_file(domain):
    """The committed .mo gives every translation of the .po (run compilemessages after editing it)."""
    with open(LOCALE_DIR / f"{domain}.mo", "rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    stale = []
    for entry in messages(domain):
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            for n, index in ((1, 0), (2, 1)):
                if context:
                    got = catalog.npgettext(context, entry["msgid"], entry["msgid_plural"], n)
                else:
                    got = catalog.ngettext(entry["msgid"], entry["msgid_plural"], n)
                if got != entry["msgstr"][index]:
                    stale.append((entry["msgid"], n, got))
        else:
            got = catalog.pgettext(context, entry["msgid"]) if context else catalog.gettext(entry["msgid"])
            if got != entry["msgstr"][0]:
                stale.append((entry["msgid"], got))
    assert stale == []


# Pages --------------------------------------------------------------------


@pytest.mark.django_db
def test_student_page_follows_accept_language(client):
    english = client.get(reverse("preguntas:alumno"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Join the classroom" in english
    assert "Únete al aula" not in english
    assert '<html lang="en">' in english

    spanish = client.get(reverse("preguntas:alumno"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Únete al aula" in spanish
    assert "Join the classroom" not in spanish


@pytest.mark.django_db
def test_spanish_is_the_default(client):
    page = client.get(reverse("preguntas:alumno")).content.decode()
    assert "Únete al aula" in page


@pytest.mark.django_db
def test_switcher_marks_the_current_language(client):
    page = client.get(reverse("preguntas:alumno"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert re.search(r'value="en"[^>]*aria-pressed="true"', page)
    assert re.search(r'value="es"[^>]*aria-pressed="false"', page)
    assert 'name="next" value="/"' in page


@pytest.mark.django_db
def test_setlang_switches_the_language_with_a_cookie(client):
    next_url = reverse("preguntas:alumno_codigo", args=["AULA01"])
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response.url == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get(next_url, HTTP_ACCEPT_LANGUAGE="es").content.decode()  # the cookie wins
    assert "Join the classroom" in page

    client.post(reverse("set_language"), {"language": "es", "next": next_url})
    assert "Únete al aula" in client.get(next_url).content.decode()


@pytest.mark.django_db
def test_javascript_catalog_is_english_with_the_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    catalog = client.get(reverse("javascript-catalog")).content.decode()
    assert '"Sin respuesta": "No answer"' in catalog
    assert '"Respuesta enviada: %s": "Answer sent: %s"' in catalog


# The classroom socket -----------------------------------------------------


async def open_socket(code: str, headers: list[tuple[bytes, bytes]] = ()) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application,
        f"/ws/aula/{code}/",
        headers=[(b"origin", ORIGIN), (b"host", b"localhost"), *headers],
    )
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def bad_json_detail(socket) -> str:
    await socket.send_to(text_data="{")
    frame = await receive(socket)
    assert frame["type"] == "error" and frame["code"] == "bad_json", frame
    return frame["detail"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "headers, detail",
    [
        ([], "El mensaje no es JSON válido."),
        ([(b"accept-language", b"en")], "The message isn't valid JSON."),
        ([(b"accept-language", b"en-GB,en;q=0.9,es;q=0.5")], "The message isn't valid JSON."),
        ([(b"accept-language", b"fr-FR,fr;q=0.9")], "El mensaje no es JSON válido."),
        ([(b"accept-language", b"es")], "El mensaje no es JSON válido."),
        ([(b"cookie", f"{settings.LANGUAGE_COOKIE_NAME}=en".encode())], "The message isn't valid JSON."),
        (
            [(b"cookie", f"{settings.LANGUAGE_COOKIE_NAME}=es".encode()), (b"accept-language", b"en")],
            "El mensaje no es JSON válido.",
        ),
    ],
)
async def test_socket_errors_speak_the_socket_language(aula, headers, detail):
    socket = await open_socket(aula.codigo, headers)
    assert await bad_json_detail(socket) == detail
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_errors_from_the_classroom_rules_speak_the_socket_language(aula):
    """The rules run in the ORM thread; the socket's language goes with the call."""
    english = await open_socket(aula.codigo, [(b"accept-language", b"en")])
    spanish = await open_socket(aula.codigo)
    for socket in (english, spanish):
        await send(socket, {"type": "join", "name": "   "})
    assert (await receive(english))["detail"] == "Type your name to join."
    assert (await receive(spanish))["detail"] == "Escribe tu nombre para unirte."
    await english.disconnect()
    await spanish.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_sockets_in_one_answer_batch_keep_their_languages(aula):
    """Answers from sockets in different languages are stored together; each refusal is in its sender's."""
    ana, _, _ = await student(aula.codigo, "Ana")
    english = WebsocketCommunicator(
        application,
        f"/ws/aula/{aula.codigo}/",
        headers=[(b"origin", ORIGIN), (b"host", b"localhost"), (b"accept-language", b"en")],
    )
    assert (await english.connect(timeout=TIMEOUT))[0]
    await send(english, {"type": "join", "name": "Ben"})
    assert (await receive(english))["type"] == "joined"
    assert (await receive(english))["type"] == "state"

    frame = {"type": "answer", "round": 999999, "value": True}
    await asyncio.gather(send(ana, frame), send(english, frame))
    spanish_error, english_error = await asyncio.gather(receive(ana), receive(english))
    assert spanish_error["code"] == english_error["code"] == "not_found"
    assert spanish_error["detail"] == "Esa ronda no existe en esta aula."
    assert english_error["detail"] == "That round doesn't exist in this classroom."
    await ana.disconnect()
    await english.disconnect()

