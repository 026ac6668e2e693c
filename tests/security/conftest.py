"""Personas for the security tests, on top of tests/conftest.py (alice, bob, aula, pregunta).

- staff: an administrator (is_staff) with every permission on the preguntas models;
  not the owner of any classroom.
"""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import TeacherFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are created by the dozen here; the real hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    user = TeacherFactory(username="staff", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="preguntas"))
    return user
