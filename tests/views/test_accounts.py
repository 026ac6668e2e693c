"""Teacher accounts: recovering a forgotten password by email, and the command that creates one."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_reset_counts():
    cache.clear()  # password-reset requests are counted in the cache


def test_the_login_page_offers_a_reset_and_says_who_creates_accounts(client):
    page = client.get(reverse("usuarios:login")).content.decode()
    assert reverse("usuarios:password_reset") in page
    assert "Las cuentas de docente las crea quien administra QuestionsRT en tu centro" in page


def test_a_teacher_recovers_a_forgotten_password_by_email(client, mailoutbox):
    TeacherFactory(username="carmen", email="carmen@example.org")
    response = client.post(reverse("usuarios:password_reset"), {"email": "carmen@example.org"})
    assert response.url == reverse("usuarios:password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["carmen@example.org"]
    assert message.subject == "QuestionsRT: elige una contraseña nueva"
    link = re.search(r"http://testserver(/cuentas/contrasena/nueva/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "new_password1" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "otra-clave-larga-9", "new_password2": "otra-clave-larga-9"})
    assert done.url == reverse("usuarios:password_reset_complete")
    assert logs_in(client, "carmen", "otra-clave-larga-9")


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, mailoutbox):
    response = client.post(reverse("usuarios:password_reset"), {"email": "nadie@example.org"})
    assert response.url == reverse("usuarios:password_reset_done")
    assert mailoutbox == []


def test_the_form_cannot_flood_a_teachers_mailbox(client, mailoutbox, settings):
    settings.QRT_PASSWORD_RESETS_PER_HOUR = 3
    TeacherFactory(username="carmen", email="carmen@example.org")
    for email in ["carmen@example.org", "CARMEN@example.org ", "carmen@example.org", "carmen@example.org"]:
        response = client.post(reverse("usuarios:password_reset"), {"email": email})
        assert response.url == reverse("usuarios:password_reset_done"), "the same answer every time"
    assert len(mailoutbox) == 3


def test_one_client_cannot_ask_for_every_address(client, mailoutbox, settings):
    settings.QRT_PASSWORD_RESETS_PER_HOUR = 1  # ten per client address
    TeacherFactory(username="carmen", email="carmen@example.org")
    for n in range(10):
        client.post(reverse("usuarios:password_reset"), {"email": f"alguien{n}@example.org"})
    response = client.post(reverse("usuarios:password_reset"), {"email": "carmen@example.org"})
    assert response.url == reverse("usuarios:password_reset_done")
    assert mailoutbox == [], "the client had asked ten times already"


def test_a_used_or_wrong_link_says_to_ask_for_another(client):
    page = client.get(reverse("usuarios:password_reset_confirm", args=["MQ", "abc-123"])).content.decode()
    assert "Este enlace ya no sirve" in page


def test_djangos_own_messages_say_tu(client):
    TeacherFactory(username="carmen")
    page = client.post(reverse("usuarios:login"), {"username": "carmen", "password": "mal"}).content.decode()
    assert "introduce un nombre de usuario y contraseña correctos" in page.lower()
    assert "introduzca" not in page.lower()


def test_create_teacher_makes_an_account_that_can_log_in(client):
    out = io.StringIO()
    call_command("create_teacher", "lucia", "--email", "lucia@example.org", stdout=out)
    password = re.search(r"Password: (\S+)", out.getvalue()).group(1)
    lucia = get_user_model().objects.get(username="lucia")
    assert (lucia.email, lucia.is_staff, lucia.is_active) == ("lucia@example.org", False, True)
    assert logs_in(client, "lucia", password)


def test_create_teacher_refuses_a_taken_name_or_a_bad_email():
    TeacherFactory(username="lucia")
    with pytest.raises(CommandError):
        call_command("create_teacher", "lucia", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("create_teacher", "otra", "--email", "no-es-correo", stdout=io.StringIO())


def logs_in(client, username: str, password: str) -> bool:
    """Through the login form, as a teacher does (the lockout needs the request)."""
    response = client.post(reverse("usuarios:login"), {"username": username, "password": password})
    return response.status_code == 302 and client.get(reverse("preguntas:aulas")).status_code == 200
