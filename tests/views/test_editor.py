"""The question editor: each kind created and edited, options that keep their ids, the kind's
rules as the form's errors, an image stored re-encoded with its text, and nobody else's question.

Personas (tests/conftest.py): alice owns the questions; bob is another teacher and must never
edit them.
"""

import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from preguntas.models import Pregunta
from tests.factories import PreguntaFactory, TeacherFactory

pytestmark = pytest.mark.django_db

NEW = reverse("preguntas:pregunta_nueva")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def edit_url(pregunta) -> str:
    return reverse("preguntas:pregunta_editar", args=[pregunta.pk])


def question(texto="¿Cuál es el río más largo de la península ibérica?", tipo="choice", rows=(), marked=(), **fields) -> dict:
    """A post of the editor: ``rows`` are (key, text) in the page's order (key: an option's id,
    or n1, n2… for a new row), ``marked`` the keys marked right."""
    return {
        "texto": texto,
        "tipo": tipo,
        "tema": "Ríos",
        "opciones_clave": [key for key, _ in rows],
        "opciones": [text for _, text in rows],
        "opciones_correcta": list(marked),
        **fields,
    }


RIVERS = [("n1", "Tajo"), ("n2", "Ebro"), ("n3", "Duero"), ("n4", "Guadiana"), ("n5", ""), ("n6", "")]


def choice_question(alice, **fields) -> Pregunta:
    defaults = {
        "tipo": "choice", "texto": "¿Cuál es el río más largo de la península ibérica?", "respuesta": None,
        "opciones": [{"id": 1, "text": "Tajo", "correct": True}, {"id": 2, "text": "Ebro", "correct": False},
                     {"id": 3, "text": "Duero", "correct": False}],
    }
    return PreguntaFactory(propietario=alice, **{**defaults, **fields})


def field_errors(response) -> dict[str, list[str]]:
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def image_upload(size=(300, 200), format="PNG", name="mapa.png", **save) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format, **save)
    return SimpleUploadedFile(name, buffer.getvalue(), f"image/{format.lower()}")


# The page --------------------------------------------------------------------------------


class Controls(HTMLParser):
    """Every form control of the page, and the ids that a <label for> names."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled, self.label_depth = [], set(), 0
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(attrs)
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append({**attrs, "_in_label": self.label_depth > 0, "_tag": tag})

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1


def test_the_new_question_page_offers_every_kind_six_option_rows_and_a_label_for_every_control(alice_client):
    response = alice_client.get(NEW)
    assert response.status_code == 200
    page = Controls()
    page.feed(response.content.decode())
    kinds = [c["value"] for c in page.controls if c.get("name") == "tipo"]
    assert kinds == ["tf", "choice", "multi", "poll", "number"]
    assert [c for c in page.controls if c.get("name") == "tipo" and "checked" in c][0]["value"] == "tf"
    assert len([c for c in page.controls if c.get("name") == "opciones"]) == 6
    assert len([c for c in page.controls if c.get("name") == "opciones_correcta"]) == 6
    unlabelled = [c for c in page.controls if not (c.get("id") in page.labelled or c["_in_label"] or c.get("aria-label"))]
    assert unlabelled == []
    editor = next(f for f in page.forms if f.get("id") == "editor")
    assert editor["enctype"] == "multipart/form-data" and editor["method"] == "post"
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert "vendor/katex/katex.min.js" in html and "js/math.js" in html and "js/editor.js" in html


def test_the_edit_page_shows_the_options_with_their_ids_and_marks(alice_client, alice):
    pregunta = choice_question(alice)
    html = alice_client.get(edit_url(pregunta)).content.decode()
    assert re.findall(r'name="opciones_clave" value="([^"]*)"', html) == ["1", "2", "3", "n1", "n2", "n3"]
    assert re.findall(r'name="opciones" id="opcion-\d" value="([^"]*)"', html) == ["Tajo", "Ebro", "Duero", "", "", ""]
    marks = re.findall(r'<input class="form-check-input mt-0" type="(\w+)" name="opciones_correcta" value="(\w+)"[^>]*?( checked)?>', html)
    assert marks[0] == ("radio", "1", " checked") and all(not checked for _, _, checked in marks[1:])


def test_user_text_in_the_editor_is_escaped(alice_client, alice):
    pregunta = choice_question(alice, texto="<script>alert(1)</script> \\( x^2 \\)",
                               opciones=[{"id": 1, "text": "<b>Tajo</b>", "correct": True}, {"id": 2, "text": "Ebro", "correct": False}])
    html = alice_client.get(edit_url(pregunta)).content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>Tajo</b>" not in html
    assert "&lt;b&gt;Tajo&lt;/b&gt;" in html


# Creating each kind ----------------------------------------------------------------------


def test_a_true_or_false_question_is_created_as_before_kinds(alice_client, alice):
    response = alice_client.post(NEW, {"texto": "Lima es la capital de Perú.", "respuesta": "True", "tema": "Capitales"})
    assert response.status_code == 302
    pregunta = Pregunta.objects.get(propietario=alice)
    assert (pregunta.tipo, pregunta.respuesta, pregunta.opciones, pregunta.numero) == ("tf", True, [], None)


def test_a_single_choice_question_is_created_with_its_options_numbered_in_order(alice_client, alice):
    response = alice_client.post(NEW, question(rows=RIVERS, marked=["n1"]))
    assert response.status_code == 302
    pregunta = Pregunta.objects.get(propietario=alice)
    assert pregunta.tipo == "choice" and pregunta.respuesta is None
    assert pregunta.opciones == [
        {"id": 1, "text": "Tajo", "correct": True},
        {"id": 2, "text": "Ebro", "correct": False},
        {"id": 3, "text": "Duero", "correct": False},
        {"id": 4, "text": "Guadiana", "correct": False},
    ]


def test_a_multiple_answer_question_keeps_every_right_option(alice_client, alice):
    rows = [("n1", "Tajo"), ("n2", "Ebro"), ("n3", "Duero"), ("n4", "Júcar")]
    alice_client.post(NEW, question("¿Qué ríos desembocan en el Atlántico?", "multi", rows, marked=["n1", "n3"]))
    pregunta = Pregunta.objects.get(propietario=alice)
    assert [o["correct"] for o in pregunta.opciones] == [True, False, True, False]


def test_a_poll_has_no_right_option_whatever_was_marked(alice_client, alice):
    rows = [("n1", "Galicia"), ("n2", "Andalucía"), ("n3", "Aragón")]
    response = alice_client.post(NEW, question("¿Qué región te gustaría visitar?", "poll", rows, marked=["n2"]))
    assert response.status_code == 302
    pregunta = Pregunta.objects.get(propietario=alice)
    assert pregunta.tipo == "poll" and [o["correct"] for o in pregunta.opciones] == [False, False, False]


def test_a_number_question_takes_a_decimal_comma_and_a_tolerance(alice_client, alice):
    response = alice_client.post(NEW, question("¿Cuánto vale \\( \\pi \\)?", "number", numero="3,14", tolerancia="0,005"))
    assert response.status_code == 302
    pregunta = Pregunta.objects.get(propietario=alice)
    assert (pregunta.tipo, pregunta.numero, pregunta.tolerancia, pregunta.opciones) == ("number", 3.14, 0.005, [])


def test_a_number_with_no_tolerance_must_be_exact(alice_client, alice):
    alice_client.post(NEW, question("¿Cuántos kilómetros mide el Tajo?", "number", numero="1007", tolerancia=""))
    assert Pregunta.objects.get(propietario=alice).tolerancia == 0


def test_the_explanation_is_saved_and_shown_when_editing(alice_client, alice):
    explanation = "El Tajo mide 1007 km: \\( 1007 > 910 \\)."
    alice_client.post(NEW, question(rows=RIVERS, marked=["n1"], explicacion=explanation))
    pregunta = Pregunta.objects.get(propietario=alice)
    assert pregunta.explicacion == explanation
    assert "1007 km" in alice_client.get(edit_url(pregunta)).content.decode()


# Editing ----------------------------------------------------------------------------------


def test_editing_keeps_each_options_id_through_a_move_a_new_text_and_a_removal(alice_client, alice):
    pregunta = choice_question(alice)  # 1 Tajo (right), 2 Ebro, 3 Duero
    rows = [("3", "Duero"), ("1", "Tajo"), ("2", "Ebro (Zaragoza)"), ("n1", "Guadiana"), ("n2", "Miño"), ("n3", "")]
    response = alice_client.post(edit_url(pregunta), question(rows=rows, marked=["1"]))
    assert response.status_code == 302
    pregunta.refresh_from_db()
    assert pregunta.opciones == [
        {"id": 3, "text": "Duero", "correct": False},
        {"id": 1, "text": "Tajo", "correct": True},
        {"id": 2, "text": "Ebro (Zaragoza)", "correct": False},
        {"id": 4, "text": "Guadiana", "correct": False},
        {"id": 5, "text": "Miño", "correct": False},
    ]
    # Ebro removed (its row emptied), a new option after it: the next id after the largest.
    rows = [("3", "Duero"), ("1", "Tajo"), ("2", ""), ("4", "Guadiana"), ("5", "Miño"), ("n1", "Segura")]
    alice_client.post(edit_url(pregunta), question(rows=rows, marked=["4"]))
    pregunta.refresh_from_db()
    assert [(o["id"], o["text"], o["correct"]) for o in pregunta.opciones] == [
        (3, "Duero", False), (1, "Tajo", False), (4, "Guadiana", True), (5, "Miño", False), (6, "Segura", False),
    ]


def test_an_id_the_question_never_had_is_not_taken_from_the_post(alice_client, alice):
    pregunta = choice_question(alice)
    rows = [("1", "Tajo"), ("2", "Ebro"), ("999", "Duero"), ("2", "Júcar")]  # forged and repeated keys
    alice_client.post(edit_url(pregunta), question(rows=rows, marked=["1"]))
    pregunta.refresh_from_db()
    assert [o["id"] for o in pregunta.opciones] == [1, 2, 4, 5]


def test_changing_the_kind_empties_the_old_kinds_answer(alice_client, alice):
    pregunta = choice_question(alice)
    alice_client.post(edit_url(pregunta), question(tipo="number", rows=RIVERS, marked=["n1"], numero="1007", tolerancia="5"))
    pregunta.refresh_from_db()
    assert (pregunta.tipo, pregunta.opciones, pregunta.numero, pregunta.respuesta) == ("number", [], 1007, None)
    alice_client.post(edit_url(pregunta), question(tipo="tf", respuesta="False", numero="1007"))
    pregunta.refresh_from_db()
    assert (pregunta.tipo, pregunta.respuesta, pregunta.numero, pregunta.tolerancia) == ("tf", False, None, 0)


# Refused ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "post, field, message",
    [
        (question(rows=RIVERS), "opciones", "Marca una opción correcta, solo una."),
        (question(rows=RIVERS, marked=["n1", "n2"]), "opciones", "Marca una opción correcta, solo una."),
        (question(tipo="multi", rows=RIVERS), "opciones", "Marca al menos 1 opción correcta."),
        (question(rows=[("n1", "Tajo")], marked=["n1"]), "opciones", "Pon entre 2 y 6 opciones."),
        (question(rows=[(f"n{i}", f"Río {i}") for i in range(1, 8)], marked=["n1"]), "opciones", "Pon entre 2 y 6 opciones."),
        (question(tipo="poll", rows=[]), "opciones", "Pon entre 2 y 6 opciones."),
        (question(rows=[("n1", "Tajo"), ("n2", "tajo ")], marked=["n1"]), "opciones", "Hay dos opciones iguales."),
        (question(rows=[("n1", "T" * 201), ("n2", "Ebro")], marked=["n1"]), "opciones", "Cada opción cabe en 200 caracteres."),
        (question(tipo="number"), "numero", "Escribe el número correcto."),
        (question(tipo="number", numero="tres"), "numero", "Escribe un número."),
        (question(tipo="number", numero="1e13"), "numero", "Escribe el número correcto."),
        (question(tipo="number", numero="3", tolerancia="-1"), "numero", "La tolerancia es un número, 0 o más."),
        (question(tipo="tf"), "respuesta", "Di si la respuesta correcta es verdadero o falso."),
        (question(tipo="quiz"), "tipo", "Elige una opción válida. quiz no es una de las opciones."),
        (question(tipo="tf", respuesta="True", explicacion="x" * 1001), "explicacion", None),
    ],
    ids=["choice-no-mark", "choice-two-marks", "multi-no-mark", "one-option", "seven-options", "poll-no-options",
         "same-option-twice", "option-too-long", "number-missing", "number-not-a-number", "number-too-large",
         "negative-tolerance", "tf-no-answer", "unknown-kind", "explanation-too-long"],
)
def test_a_question_of_the_wrong_shape_is_refused_with_the_kinds_message(alice_client, alice, post, field, message):
    response = alice_client.post(NEW, post)
    assert response.status_code == 200
    assert not Pregunta.objects.exists()
    found = field_errors(response)
    assert list(found) == [field]
    if message:
        assert message in found[field]
        assert message in response.content.decode().replace("&#x27;", "'")
    assert "la pregunta no se ha guardado" in response.content.decode()


def test_seven_options_come_back_for_the_teacher_to_pick_which_to_drop(alice_client):
    rows = [(f"n{i}", f"Río {i}") for i in range(1, 8)]
    html = alice_client.post(NEW, question(rows=rows, marked=["n1"])).content.decode()
    assert re.findall(r'name="opciones" id="opcion-\d" value="([^"]*)"', html) == [f"Río {i}" for i in range(1, 8)]


def test_a_refused_post_shows_back_what_was_typed(alice_client):
    rows = [("n1", "Tajo"), ("n2", "Ebro"), ("n3", ""), ("n4", "Duero")]
    html = alice_client.post(NEW, question(tipo="multi", rows=rows)).content.decode()
    assert re.findall(r'name="opciones" id="opcion-\d" value="([^"]*)"', html) == ["Tajo", "Ebro", "Duero", "", "", ""]
    keys = re.findall(r'name="opciones_clave" value="([^"]*)"', html)
    assert keys[:3] == ["n1", "n2", "n4"] and len(set(keys)) == 6
    assert re.search(r'id="id_tipo_2" value="multi" checked', html)


# Images -----------------------------------------------------------------------------------


def test_an_image_is_stored_re_encoded_with_its_text(alice_client, alice, media_root):
    photo = image_upload((2400, 1600), "JPEG", "IMG_2041.jpg")
    post = question(rows=RIVERS, marked=["n1"], imagen=photo, imagen_alt="Mapa de los ríos de España")
    assert alice_client.post(NEW, post).status_code == 302
    pregunta = Pregunta.objects.get(propietario=alice)
    assert re.fullmatch(r"preguntas/\d{4}/\d{2}/[0-9a-f]{32}\.webp", pregunta.imagen.name)
    assert pregunta.imagen_alt == "Mapa de los ríos de España"
    stored = Image.open(media_root / pregunta.imagen.name)
    assert (stored.format, stored.size) == ("WEBP", (1600, 1067))
    assert not list(media_root.rglob("IMG_2041*"))
    bank = alice_client.get(reverse("preguntas:preguntas")).content.decode()
    assert f'src="/media/{pregunta.imagen.name}" alt="Mapa de los ríos de España"' in bank
    assert alice_client.get(f"/media/{pregunta.imagen.name}").status_code == 200


def test_an_image_needs_its_text(alice_client, alice):
    response = alice_client.post(NEW, question(rows=RIVERS, marked=["n1"], imagen=image_upload(), imagen_alt="  "))
    assert field_errors(response) == {
        "imagen_alt": ["Describe la imagen en pocas palabras: es lo que leerá quien no pueda verla."]
    }
    assert not Pregunta.objects.exists()
    assert "vuelve a elegirla" in response.content.decode()


def test_a_file_that_is_no_image_is_refused_with_a_message(alice_client):
    upload = SimpleUploadedFile("mapa.png", b"texto,respuesta\n", "image/png")
    response = alice_client.post(NEW, question(rows=RIVERS, marked=["n1"], imagen=upload, imagen_alt="Mapa"))
    assert field_errors(response) == {
        "imagen": ["Ese archivo no es una imagen que se pueda abrir: sube una foto o un dibujo en JPEG, PNG, WebP o GIF."]
    }
    assert not Pregunta.objects.exists()


def test_an_image_is_kept_replaced_and_removed(alice_client, alice, media_root):
    alice_client.post(NEW, question(rows=RIVERS, marked=["n1"], imagen=image_upload(), imagen_alt="Mapa"))
    pregunta = Pregunta.objects.get(propietario=alice)
    first = pregunta.imagen.name

    # Saved again without a file: the image stays, and so must its text.
    rows = [("1", "Tajo"), ("2", "Ebro")]
    response = alice_client.post(edit_url(pregunta), question(rows=rows, marked=["1"], imagen_alt=""))
    assert list(field_errors(response)) == ["imagen_alt"]
    alice_client.post(edit_url(pregunta), question(rows=rows, marked=["1"], imagen_alt="Mapa físico"))
    pregunta.refresh_from_db()
    assert (pregunta.imagen.name, pregunta.imagen_alt) == (first, "Mapa físico")

    # Replaced: a new file; the old one stays for the rounds that showed it.
    alice_client.post(edit_url(pregunta), question(rows=rows, marked=["1"], imagen=image_upload(name="otro.gif", format="GIF"), imagen_alt="Otro mapa"))
    pregunta.refresh_from_db()
    assert pregunta.imagen.name != first and pregunta.imagen.name.endswith(".webp")
    assert (media_root / first).exists()

    # Removed: no image, no text.
    alice_client.post(edit_url(pregunta), question(rows=rows, marked=["1"], quitar_imagen="on", imagen_alt="Otro mapa"))
    pregunta.refresh_from_db()
    assert (pregunta.imagen.name, pregunta.imagen_alt) == ("", "")


# Whose question ---------------------------------------------------------------------------


def test_another_teacher_can_neither_open_nor_save_alices_question(client, alice, bob):
    pregunta = choice_question(alice)
    client.force_login(bob)
    assert client.get(edit_url(pregunta)).status_code == 404
    response = client.post(edit_url(pregunta), question("Cambiada por Bob", rows=RIVERS, marked=["n2"]))
    assert response.status_code == 404
    pregunta.refresh_from_db()
    assert pregunta.texto != "Cambiada por Bob" and pregunta.propietario == alice


def test_a_shared_question_is_not_edited_in_place(alice_client):
    shared = PreguntaFactory(propietario=None)
    assert alice_client.get(edit_url(shared)).status_code == 404


def test_a_new_question_belongs_to_whoever_wrote_it(client, bob):
    client.force_login(bob)
    client.post(NEW, question(rows=RIVERS, marked=["n1"]))
    assert Pregunta.objects.get().propietario == bob


# The bank list -----------------------------------------------------------------------------


def test_the_bank_shows_each_questions_kind_and_draws_its_formulas(alice_client, alice):
    choice_question(alice)
    PreguntaFactory(propietario=alice, tipo="number", texto="¿Cuánto es \\( 2^{10} \\)?", respuesta=None, numero=1024)
    html = alice_client.get(reverse("preguntas:preguntas")).content.decode()
    badges = re.findall(r'<span class="badge[^"]*tipo-pregunta">([^<]*)</span>', html)
    assert sorted(badges) == ["Número", "Una respuesta entre varias"]
    assert 'id="tabla-preguntas" data-math' in html and "js/math.js" in html


# The admin ---------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    staff = TeacherFactory(username="staff", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="preguntas"))
    client.force_login(staff)
    return client


def admin_post(**fields) -> dict:
    return {
        "tipo": "choice", "texto": "¿Cuál es el río más largo?", "tema": "", "respuesta": "unknown",
        "opciones": '[{"id": 1, "text": "Tajo", "correct": true}, {"id": 2, "text": "Ebro", "correct": false}]',
        "numero": "", "tolerancia": "0", "explicacion": "", "imagen_alt": "", **fields,
    }


def test_the_admin_saves_a_question_of_any_kind_by_the_kinds_rules(staff_client):
    url = reverse("admin:preguntas_pregunta_add")
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, admin_post()).status_code == 302
    assert Pregunta.objects.get().opciones[0] == {"id": 1, "text": "Tajo", "correct": True}
    response = staff_client.post(url, admin_post(texto="Otra", opciones='[{"id": 1, "text": "Tajo", "correct": false}]'))
    assert response.status_code == 200
    assert "Marca una opción correcta, solo una." in response.content.decode()
    assert Pregunta.objects.count() == 1


def test_the_admin_re_encodes_an_image_and_asks_for_its_text(staff_client):
    url = reverse("admin:preguntas_pregunta_add")
    response = staff_client.post(url, admin_post(imagen=image_upload()))
    assert "Describe la imagen en pocas palabras" in response.content.decode()
    staff_client.post(url, admin_post(imagen=image_upload(), imagen_alt="Mapa"))
    assert Pregunta.objects.get().imagen.name.endswith(".webp")


def test_the_admin_lists_rounds_and_answers_of_every_kind_as_their_kind_reads_them(client, alice):
    from django.contrib.auth import get_user_model

    from tests.factories import MultiFactory, RespuestaFactory, RondaFactory

    root = get_user_model().objects.create_superuser("raiz", password="contrasena-segura")
    client.force_login(root)
    ronda = RondaFactory(pregunta=MultiFactory(propietario=alice))
    RespuestaFactory(ronda=ronda, valor=[1, 2])
    rounds = client.get("/admin/preguntas/ronda/").content.decode()
    assert "Tajo; Duero" in rounds  # the right answer
    answers = client.get("/admin/preguntas/respuesta/").content.decode()
    assert "Tajo; Ebro" in answers
    assert client.get(f"/admin/preguntas/ronda/{ronda.pk}/change/").status_code == 200
