"""The production settings path (DEBUG=0), checked in fresh processes as a server would run."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.multiprocess.stack import ROOT, DaphneProcess, http_get

# Settings read from the environment: a developer's shell must not leak into these runs.
_SETTINGS_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "QRT_SERVE_MEDIA",
)


def production_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="QuestionsRT.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50)[:50],
        ALLOWED_HOSTS="quiz.example.org",
        PYTHONUNBUFFERED="1",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=180,
    )


def production_settings(*names, **env) -> dict:
    """Values of settings as a DEBUG=0 process sees them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(**env), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_reports_no_issues():
    result = manage("check", "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "ERROR" not in output, output


def test_check_deploy_with_hsts_preload_reports_no_issues():
    result = manage("check", "--deploy", SECURE_HSTS_PRELOAD="1")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)" in output, output


@pytest.mark.parametrize("secret_key", [None, "", "demo-only-insecure-key-do-not-use-in-production"])
def test_debug_off_requires_a_secret_key(secret_key):
    result = manage("check", SECRET_KEY=secret_key)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize("hosts", [None, "", " , "])
def test_debug_off_requires_allowed_hosts(hosts):
    result = manage("check", ALLOWED_HOSTS=hosts)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_csrf_trusted_origins_need_a_scheme():
    result = manage("check", CSRF_TRUSTED_ORIGINS="quiz.example.org")
    assert result.returncode != 0
    assert "CSRF_TRUSTED_ORIGINS needs full origins" in result.stderr


def test_production_values_come_from_the_environment(tmp_path):
    values = production_settings(
        "DEBUG",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "STATIC_ROOT",
        "STORAGES",
        "WHITENOISE_USE_FINDERS",
        ALLOWED_HOSTS="quiz.example.org, .aulas.example.org",
        CSRF_TRUSTED_ORIGINS="https://quiz.example.org,https://*.aulas.example.org",
        SECURE_HSTS_SECONDS="3600",
        STATIC_ROOT=str(tmp_path),
    )
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["quiz.example.org", ".aulas.example.org"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://quiz.example.org", "https://*.aulas.example.org"]
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["STATIC_ROOT"] == str(tmp_path)
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["WHITENOISE_USE_FINDERS"] is False


def test_in_production_nginx_serves_the_images_unless_the_app_is_told_to(tmp_path):
    values = production_settings("MEDIA_ROOT", "MEDIA_URL", "QRT_SERVE_MEDIA", MEDIA_ROOT=str(tmp_path))
    assert values == {"MEDIA_ROOT": str(tmp_path), "MEDIA_URL": "/media/", "QRT_SERVE_MEDIA": False}
    assert production_settings("QRT_SERVE_MEDIA", QRT_SERVE_MEDIA="1") == {"QRT_SERVE_MEDIA": True}


def test_a_relative_media_root_stops_the_start_up():
    result = manage("check", MEDIA_ROOT="media")
    assert result.returncode != 0
    assert "MEDIA_ROOT must be an absolute path" in result.stderr


def test_the_login_lockout_comes_from_the_environment():
    values = production_settings(
        "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", QRT_LOGIN_MAX_FAILURES="3", QRT_LOGIN_LOCKOUT_SECONDS="120"
    )
    assert values == {"AXES_FAILURE_LIMIT": 3, "AXES_COOLOFF_TIME": "0:02:00"}
    refused = manage("check", QRT_LOGIN_MAX_FAILURES="cinco")
    assert refused.returncode != 0 and "QRT_LOGIN_MAX_FAILURES must be an integer" in refused.stderr


def test_static_files_are_served_by_whitenoise_with_debug_off(tmp_path):
    """collectstatic into a fresh STATIC_ROOT, then a DEBUG=0 Daphne process serves it."""
    static_root = tmp_path / "static"
    collected = manage("collectstatic", "--noinput", STATIC_ROOT=str(static_root))
    assert collected.returncode == 0, collected.stderr
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/app.css"]
    assert hashed != "css/app.css"

    env = production_env(STATIC_ROOT=str(static_root), ALLOWED_HOSTS="127.0.0.1")
    server = DaphneProcess("static", env, tmp_path).start()  # ready: /healthz answered 200 over plain HTTP
    try:
        https = {"X-Forwarded-Proto": "https"}  # what nginx adds in front of Daphne

        status, headers, body = http_get(server.port, f"/static/{hashed}", https)
        assert status == 200
        assert headers["content-type"].startswith("text/css")
        assert body == (static_root / hashed).read_bytes()
        assert "immutable" in headers["cache-control"]  # a hashed name never changes

        status, headers, body = http_get(server.port, f"/static/{hashed}", {**https, "Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip"

        # Pages point at the hashed names.
        status, headers, body = http_get(server.port, "/cuentas/entrar/", https)
        assert status == 200, body[:500]
        assert f"/static/{hashed}".encode() in body
        assert "max-age=" in headers["strict-transport-security"]

        # Plain HTTP is redirected to HTTPS, except the health probe.
        status, headers, _ = http_get(server.port, f"/static/{hashed}")
        assert status == 301 and headers["location"].startswith("https://")
        assert http_get(server.port, "/healthz")[0] == 200
    finally:
        server.stop()
