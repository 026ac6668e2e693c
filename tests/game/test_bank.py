"""Question bank tools: the CSV of before there were kinds (``texto,respuesta,tema``), read as it
always was (parser and page); export, template, duplicates. The other formats, and the CSV with a
``tipo`` column, have their own test_formats_*.py.

Personas from conftest: alice owns the questions under test; bob is another teacher whose
private questions must neither show in alice's export nor count as her duplicates.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preguntas.game.bank import MAX_ROWS, normalise_text
from preguntas.game.csv_files import MAX_BYTES
from preguntas.game.formats import bank_csv, check
from preguntas.forms import PreguntaForm
from preguntas.models import Pregunta
from tests.factories import PreguntaFactory


def csv_bytes(*lines: str, encoding="utf-8") -> bytes:
    return "\n".join(lines).encode(encoding)


def parse_csv(data: bytes, bank_texts=(), bank_topics=()):
    """A CSV file read and checked against a bank, as an import does before saving."""
    return check(bank_csv.read(data), bank_texts, bank_topics)


def questions(result) -> list[tuple]:
    """(line, text, answer, topic) of each true/false question a file gave."""
    assert all(item.kind == "tf" for item in result.items)
    return [(item.where, item.text, item.answer, item.topic) for item in result.items]


def reasons_by_line(result) -> dict[int, list[str]]:
    return {skipped.where: list(skipped.reasons) for skipped in result.skipped}


# Parser ---------------------------------------------------------------------


def test_it_reads_comma_separated_rows_into_questions():
    result = parse_csv(csv_bytes("texto,respuesta,tema", "Lima es la capital de Perú.,verdadero,Capitales"))
    assert result.error == "" and result.skipped == []
    assert questions(result) == [(2, "Lima es la capital de Perú.", True, "Capitales")]


def test_it_reads_semicolons_and_a_bom_as_spanish_excel_writes_them():
    data = "\ufefftexto;respuesta;tema\r\nEl Ebro pasa por Zaragoza, Logroño y Tortosa;Sí;Ríos\r\n".encode()
    result = parse_csv(data)
    assert questions(result) == [(2, "El Ebro pasa por Zaragoza, Logroño y Tortosa", True, "Ríos")]


def test_header_names_are_case_insensitive_in_any_order_and_tema_is_optional():
    result = parse_csv(csv_bytes("Respuesta,TEXTO", "falso,Madrid está en Portugal."))
    assert questions(result) == [(2, "Madrid está en Portugal.", False, "")]


@pytest.mark.parametrize(
    "value, expected",
    [("verdadero", True), ("V", True), ("TRUE", True), ("sí", True), ("Si", True), ("1", True),
     ("Falso", False), ("f", False), ("false", False), ("NO", False), ("0", False), (" v ", True)],
)
def test_it_accepts_every_spelling_of_an_answer(value, expected):
    result = parse_csv(csv_bytes("texto,respuesta", f"Una afirmación,{value}"))
    assert [q.answer for q in result.items] == [expected]


def test_bad_rows_are_listed_with_their_line_and_reason_and_good_rows_still_import():
    long_text = "x" * 301
    result = parse_csv(
        csv_bytes(
            "texto,respuesta,tema",
            "Buena pregunta,v,",
            ",v,Sin texto",
            f"{long_text},f,",
            "Respuesta rara,quizás,",
            "Sin respuesta,,",
            "Tema largo,v," + "t" * 61,
            "Otra buena,f,",
        )
    )
    assert [q.text for q in result.items] == ["Buena pregunta", "Otra buena"]
    assert reasons_by_line(result) == {
        3: ["Falta el texto de la pregunta."],
        4: ["El texto tiene 301 caracteres (máximo 300)."],
        5: ["Respuesta «quizás» no válida: usa verdadero o falso."],
        6: ["Falta la respuesta (verdadero o falso)."],
        7: ["El tema tiene 61 caracteres (máximo 60)."],
    }
    assert result.skipped[1].text == long_text


def test_a_row_can_have_several_reasons():
    result = parse_csv(csv_bytes("texto,respuesta", ",talvez"))
    assert reasons_by_line(result) == {
        2: ["Falta el texto de la pregunta.", "Respuesta «talvez» no válida: usa verdadero o falso."]
    }


def test_an_unquoted_separator_inside_the_text_is_explained():
    result = parse_csv(csv_bytes("texto,respuesta,tema", "Lima, capital de Perú,v,Capitales"))
    assert result.items == []
    assert "más columnas que la cabecera" in result.skipped[0].reasons[0]


def test_line_numbers_follow_the_file_across_blank_lines_and_quoted_newlines():
    result = parse_csv(csv_bytes("texto,respuesta", "", '"Dos\nlíneas",v', "   ", ",,", "Mala,x"))
    assert [q.where for q in result.items] == [3]
    assert [e.where for e in result.skipped] == [7]


def test_duplicates_against_the_bank_and_within_the_file_are_row_errors():
    result = parse_csv(
        csv_bytes(
            "texto,respuesta",
            "Lima es la capital de Perú,v",
            "  lima  ES la capital   de perú. ,v",
            "Bogotá es la capital de Colombia,v",
            "Quito es la capital de Ecuador,v",
        ),
        bank_texts=["Bogotá es la capital de Colombia."],
    )
    assert [q.where for q in result.items] == [2, 5]
    assert reasons_by_line(result) == {
        3: ["Repite la pregunta de la línea 2."],
        4: ["Ya está en el banco de preguntas."],
    }


def test_a_bad_row_does_not_make_a_later_identical_row_a_duplicate():
    result = parse_csv(csv_bytes("texto,respuesta", "París está en Francia,quizás", "París está en Francia,v"))
    assert [q.where for q in result.items] == [3]


def test_normalising_ignores_case_spacing_and_final_period_but_not_accents():
    assert normalise_text("  Lima   es\tla CAPITAL de Perú. ") == normalise_text("lima es la capital de perú")
    assert normalise_text("Lima es la capital de Perú") != normalise_text("Lima es la capital de Peru")
    assert normalise_text("Perú") == normalise_text("Peru\u0301")  # composed and decomposed accents


def test_topics_take_the_spelling_already_in_the_bank():
    data = csv_bytes("texto,respuesta,tema", "A,v,capitales", "B,v,RÍOS", "C,v,ríos")
    result = parse_csv(data, bank_topics=["Capitales"])
    assert [q.topic for q in result.items] == ["Capitales", "RÍOS", "RÍOS"]


def test_the_apostrophe_the_export_adds_before_a_formula_is_removed():
    result = parse_csv(csv_bytes("texto,respuesta,tema", "'-5 es menor que 0,v,'=Números", "'Hola' dijo,v,"))
    assert [(q.text, q.topic) for q in result.items] == [("-5 es menor que 0", "=Números"), ("'Hola' dijo", "")]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "El archivo está vacío."),
        (b"\n  \n", "El archivo está vacío."),
        ("texto,respuesta\nCañón,v\n".encode("cp1252"), "no está en UTF-8 (línea 2)"),
        (b"PK\x03\x04\x00\x00", "no parece un CSV"),
        (csv_bytes("pregunta,respuesta", "Una,v"), "La primera línea debe ser la cabecera"),
        (csv_bytes("texto,tema", "Una,Capitales"), "La primera línea debe ser la cabecera"),
        (csv_bytes("texto,respuesta,texto", "Una,v,Otra"), "La primera línea debe ser la cabecera"),
        (csv_bytes("texto,respuesta", "Una,v", '"' + "x" * 200_000), "cerca de la línea 3: ¿unas comillas sin cerrar?"),
        (b"x" * (MAX_BYTES + 1), "El archivo ocupa más de 1024 KiB."),
    ],
)
def test_whole_file_problems_import_nothing_and_say_why(data, message):
    result = parse_csv(data)
    assert message in result.error
    assert result.items == [] and result.skipped == []


def test_empty_trailing_header_columns_are_ignored():
    result = parse_csv(csv_bytes("texto;respuesta;tema;;", "Una;v;;;"))
    assert [q.text for q in result.items] == ["Una"]


def test_a_file_with_too_many_rows_is_refused():
    rows = [f"Pregunta {i},v" for i in range(MAX_ROWS)]
    assert len(parse_csv(csv_bytes("texto,respuesta", *rows)).items) == MAX_ROWS
    result = parse_csv(csv_bytes("texto,respuesta", *rows, "Una más,v"))
    assert result.error == f"El archivo tiene más de {MAX_ROWS} preguntas: divídelo en varios."
    assert result.items == []


# Pages ----------------------------------------------------------------------


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def upload(client, data: bytes, name="preguntas.csv"):
    return client.post(reverse("preguntas:importar"), {"archivo": SimpleUploadedFile(name, data, "text/csv")})


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.django_db
def test_bank_tools_need_a_login(client):
    for name in ("importar", "plantilla_csv", "exportar_csv"):
        response = client.get(reverse(f"preguntas:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("usuarios:login"))
    assert upload(client, csv_bytes("texto,respuesta", "Una,v")).status_code == 302
    assert not Pregunta.objects.exists()


@pytest.mark.django_db
def test_the_bank_page_links_to_import_and_export(alice_client):
    body = alice_client.get(reverse("preguntas:preguntas")).content.decode()
    assert reverse("preguntas:importar") in body and reverse("preguntas:exportar_csv") in body


@pytest.mark.django_db
def test_import_page_shows_a_multipart_form_with_csrf_and_the_template_link(alice_client):
    response = alice_client.get(reverse("preguntas:importar"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body and "csrfmiddlewaretoken" in body
    assert reverse("preguntas:plantilla_csv") in body


@pytest.mark.django_db
def test_uploading_imports_good_rows_as_own_questions_and_lists_the_bad_ones(alice_client, alice, pregunta, bob):
    PreguntaFactory(propietario=None, texto="El Sena pasa por París.")
    PreguntaFactory(propietario=bob, texto="Quito es la capital de Ecuador.")
    data = csv_bytes(
        "texto;respuesta;tema",
        "Quito es la capital de Ecuador.;verdadero;Capitales",
        "bogotá es la capital de colombia;v;",
        "el sena pasa por parís;v;",
        "Lima es la capital de Bolivia.;falso;capitales",
        "Sin respuesta;;",
    )
    response = upload(alice_client, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 importadas, 3 sin importar" in body
    mine = Pregunta.objects.filter(propietario=alice).exclude(pk=pregunta.pk).order_by("texto")
    assert [(p.texto, p.respuesta, p.tema) for p in mine] == [
        ("Lima es la capital de Bolivia.", False, "Capitales"),
        ("Quito es la capital de Ecuador.", True, "Capitales"),
    ]
    assert [(e.where, e.reasons) for e in response.context["result"].skipped] == [
        (3, ("Ya está en el banco de preguntas.",)),
        (4, ("Ya está en el banco de preguntas.",)),
        (6, ("Falta la respuesta (verdadero o falso).",)),
    ]
    assert "<td>6</td>" in body and "Falta la respuesta (verdadero o falso)." in body


@pytest.mark.django_db
def test_importing_the_same_file_twice_adds_nothing_the_second_time(alice_client, alice):
    data = csv_bytes("texto,respuesta", "Una,v", "Dos,f")
    assert "2 importadas, 0 sin importar" in upload(alice_client, data).content.decode()
    assert "0 importadas, 2 sin importar" in upload(alice_client, data).content.decode()
    assert Pregunta.objects.filter(propietario=alice).count() == 2


@pytest.mark.django_db
def test_a_file_problem_is_shown_on_the_form_and_imports_nothing(alice_client):
    response = upload(alice_client, "texto,respuesta\nCañón,v\n".encode("cp1252"))
    assert response.context["result"] is None
    assert "no está en UTF-8" in response.content.decode()
    response = upload(alice_client, b"x" * (MAX_BYTES + 1))
    assert "El archivo ocupa más de 1024 KiB." in response.content.decode()
    assert not Pregunta.objects.exists()


@pytest.mark.django_db
def test_uploading_without_the_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert upload(client, csv_bytes("texto,respuesta", "Una,v")).status_code == 403
    assert not Pregunta.objects.exists()


@pytest.mark.django_db
def test_row_errors_show_user_text_as_text_without_inline_scripts_or_styles(alice_client):
    evil = "<img src=x onerror=alert(1)>"
    body = upload(alice_client, csv_bytes("texto,respuesta", f"{evil},{evil}")).content.decode()
    assert evil not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "style=" not in body and "<script>" not in body


@pytest.mark.django_db
def test_template_download_has_the_header_and_an_example_of_each_kind_that_imports_cleanly(alice_client):
    response = alice_client.get(reverse("preguntas:plantilla_csv"))
    assert 'filename="plantilla-preguntas.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["tipo", "texto", "respuesta", "opciones", "tema", "explicacion"]
    result = parse_csv(response.content)
    assert result.skipped == []
    assert sorted({q.kind for q in result.items}) == ["choice", "multi", "number", "poll", "tf"]
    assert len(result.items) == len(rows) - 1


@pytest.mark.django_db
def test_export_holds_own_and_shared_questions_defused_and_reimports_the_same(alice_client, alice, pregunta, bob):
    PreguntaFactory(propietario=None, texto="=HYPERLINK(\"http://x\")", respuesta=False, tema="@Trampas")
    PreguntaFactory(propietario=bob, texto="Pregunta privada de Bob")
    response = alice_client.get(reverse("preguntas:exportar_csv"))
    assert 'filename="preguntas.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["tipo", "texto", "respuesta", "opciones", "tema", "explicacion"]
    assert sorted(rows[1:]) == [
        ["vf", "'=HYPERLINK(\"http://x\")", "falso", "", "'@Trampas", ""],
        ["vf", "Bogotá es la capital de Colombia.", "verdadero", "", "Capitales", ""],
    ]
    result = parse_csv(response.content)
    assert sorted((q.text, q.answer, q.topic) for q in result.items) == [
        ("=HYPERLINK(\"http://x\")", False, "@Trampas"),
        ("Bogotá es la capital de Colombia.", True, "Capitales"),
    ]


# The single-question form ---------------------------------------------------


@pytest.mark.django_db
def test_the_question_form_refuses_a_statement_already_in_the_visible_bank(alice, pregunta, bob):
    PreguntaFactory(propietario=None, texto="El Sena pasa por París.")
    PreguntaFactory(propietario=bob, texto="El Danubio pasa por Viena.")
    for texto in ("  BOGOTÁ es la capital de   Colombia", "el sena pasa por parís"):
        form = PreguntaForm({"texto": texto, "respuesta": "True", "tema": ""}, user=alice)
        assert not form.is_valid()
        assert form.errors["texto"][0].startswith("Ya hay una pregunta igual en el banco: «")
    assert PreguntaForm({"texto": "El Danubio pasa por Viena", "respuesta": "True", "tema": ""}, user=alice).is_valid()


@pytest.mark.django_db
def test_the_question_form_lets_a_question_be_saved_with_its_own_text(alice, pregunta):
    data = {"texto": "Bogotá es la capital de Colombia", "respuesta": "False", "tema": ""}
    assert PreguntaForm(data, instance=pregunta, user=alice).is_valid()


@pytest.mark.django_db
def test_the_new_question_page_shows_the_duplicate_error_escaped(alice_client, alice):
    PreguntaFactory(propietario=alice, texto="<b>Lima</b> es la capital de Perú.")
    data = {"texto": "<b>lima</b> es la capital de perú", "respuesta": "True", "tema": ""}
    response = alice_client.post(reverse("preguntas:pregunta_nueva"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ya hay una pregunta igual en el banco" in body
    assert "<b>Lima</b>" not in body
    assert Pregunta.objects.count() == 1
