"""Huey set-up lives in settings (`HUEY`): SQLite storage under the data dir by default, Redis
when REDIS_URL is set, immediate (inline) in tests. Each app declares its tasks in its own
`tasks.py` with `huey.contrib.djhuey` decorators; the worker is `manage.py run_huey`."""

from huey.contrib.djhuey import HUEY as huey  # noqa: F401
