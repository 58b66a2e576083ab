"""Settings come from the environment; each case runs Django in a fresh process with exactly
the variables it names."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k" * 20 + "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1aZyXwVuTsRqPoNmLkJiHgFeDcBa"


def run(args, **env):
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=base | env, capture_output=True, text=True,
        timeout=120, check=False,
    )


def settings_of(tmp_path, *names, **env):
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='tandem.settings'; django.setup();"
        "from django.conf import settings as s;"
        f"print(json.dumps({{n: str(getattr(s, n)) for n in {list(names)!r}}}))"
    )
    result = run(["-c", code], TANDEM_DATA_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        TANDEM_DATA_DIR=str(tmp_path), SECRET_KEY=STRONG_KEY, DEBUG="0",
        ALLOWED_HOSTS="hr.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_secret_key_is_generated_once_into_the_data_dir(tmp_path):
    first = settings_of(tmp_path, "SECRET_KEY")["SECRET_KEY"]
    second = settings_of(tmp_path, "SECRET_KEY")["SECRET_KEY"]
    assert first == second == (tmp_path / "secret_key").read_text().strip()
    assert len(first) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_the_defaults_need_no_server(tmp_path):
    values = settings_of(tmp_path, "DATABASES", "HUEY", "DEBUG", "LANGUAGE_CODE", "TIME_ZONE")
    assert "sqlite3" in values["DATABASES"] and str(tmp_path / "tandem.sqlite3") in values["DATABASES"]
    assert "SqliteHuey" in values["HUEY"] and str(tmp_path / "huey.sqlite3") in values["HUEY"]
    assert values["DEBUG"] == "False"
    assert (values["LANGUAGE_CODE"], values["TIME_ZONE"]) == ("zh-hans", "Asia/Shanghai")


def test_database_and_redis_urls_switch_to_the_servers(tmp_path):
    values = settings_of(
        tmp_path, "DATABASES", "HUEY", "CACHES",
        DATABASE_URL="postgres://tandem:pw@db.internal:5432/tandem", REDIS_URL="redis://cache:6379/2",
    )
    assert "'ENGINE': 'django.db.backends.postgresql'" in values["DATABASES"]
    assert "'HOST': 'db.internal'" in values["DATABASES"]
    assert "PriorityRedisHuey" in values["HUEY"] and "redis://cache:6379/2" in values["HUEY"]
    assert "RedisCache" in values["CACHES"]


def test_production_cookies_are_secure_and_hsts_is_on(tmp_path):
    values = settings_of(
        tmp_path, "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT", SECRET_KEY=STRONG_KEY, DEBUG="0",
    )
    assert values == {
        "SESSION_COOKIE_SECURE": "True", "CSRF_COOKIE_SECURE": "True",
        "SECURE_HSTS_SECONDS": "31536000", "SECURE_SSL_REDIRECT": "True",
    }
