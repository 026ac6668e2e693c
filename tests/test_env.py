import pytest
from django.core.exceptions import ImproperlyConfigured

from QuestionsRT.env import env_bool, env_int, env_list


def test_env_bool_reads_common_spellings_and_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", default=False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG", default=False)
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("N", "12")
    monkeypatch.setenv("HOSTS", " a.example , b.example,, ")
    assert env_int("N", 1) == 12
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1)
