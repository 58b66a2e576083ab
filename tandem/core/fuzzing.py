"""Runs schemathesis, as an outside client in its own process, against the OpenAPI schema of a
running Tandem server, authenticated with an API token. Used by `core/tests/test_api_fuzz.py`
(a bounded run on every `make test`) and by `make fuzz` (the same with many more examples,
through TANDEM_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# What the API promises and CI holds it to: no 5xx, every response as the schema describes it
# (status code, content type, body), and no request the schema calls invalid accepted.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
)
# examples: the schema's own examples; coverage: boundary and just-invalid values of every
# parameter and field, derived from the schema; fuzzing: random valid and invalid inputs;
# stateful: chains of calls that reuse ids from earlier responses (create, then read, change,
# delete what was created).
PHASES = ("examples", "coverage", "fuzzing", "stateful")
# The coverage phase walks every parameter's edge cases whatever the budget (about 80 s for 45
# operations here): the bounded run gives it to the role that reaches the most code (the
# owner, who may do everything) and fuzzes the other roles with random and chained calls.
BOUNDED_PHASES = ("examples", "fuzzing", "stateful")
# Stateful scenarios chain valid calls only: with invalid data, schemathesis 4.32 may report a
# GET list call carrying a leftover request body as "invalid data accepted" (a GET ignores its
# body). The coverage and fuzzing phases hold every operation to negative_data_rejection.
CONFIG = """\
[phases.stateful.generation]
mode = "positive"
"""
DEFAULT_EXAMPLES = 10
SEED = 20261126


def examples_per_operation() -> int:
    return int(os.environ.get("TANDEM_FUZZ_EXAMPLES", DEFAULT_EXAMPLES))


def long_run() -> bool:
    """`make fuzz` (TANDEM_FUZZ_EXAMPLES set): every phase for every role."""
    return "TANDEM_FUZZ_EXAMPLES" in os.environ


@dataclass
class FuzzRun:
    command: list[str]
    returncode: int
    output: str
    seconds: float

    @property
    def passed(self) -> bool:
        return self.returncode == 0

    @property
    def operations_tested(self) -> int | None:
        """From the summary ("Tested: 21"), to prove every operation was reached."""
        found = re.search(r"^\s*Tested: (\d+)\s*$", self.output, re.MULTILINE)
        return int(found.group(1)) if found else None


def schemathesis_executable() -> str:
    """The `schemathesis` next to the running interpreter (the project's virtualenv)."""
    candidate = Path(sys.executable).with_name("schemathesis")
    return str(candidate) if candidate.exists() else "schemathesis"


def run_schemathesis(base_url: str, token: str, *, workdir: Path,
                     phases: tuple[str, ...] = PHASES, max_examples: int | None = None,
                     seed: int = SEED,
                     timeout: float = 3600) -> FuzzRun:
    """Fuzzes every operation of `{base_url}/api/schema/` as the owner of `token`. Schemathesis
    keeps its files (its cache of failures) under `workdir`."""
    config = workdir / "schemathesis.toml"
    config.write_text(CONFIG)
    command = [
        schemathesis_executable(), "--config-file", str(config),
        "run", f"{base_url}/api/schema/?format=json",
        "--header", f"Authorization: Token {token}",
        # One connection per request: on a kept-alive connection, the small writes of Django's
        # development server meet delayed ACKs and every call waits ~40 ms (3x slower overall).
        "--header", "Connection: close",
        "--checks", ",".join(CHECKS),
        "--phases", ",".join(phases),
        "--max-examples", str(max_examples or examples_per_operation()),
        "--seed", str(seed),
        "--workers", "1",
        "--generation-database", "none",
        "--request-timeout", "30",
        "--no-color",
    ]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"}
    started = time.monotonic()
    completed = subprocess.run(  # noqa: S603 (our own fixed command line)
        command, capture_output=True, text=True, timeout=timeout, env=env, check=False,
        cwd=workdir,
    )
    return FuzzRun(
        command=command, returncode=completed.returncode,
        output=completed.stdout + completed.stderr, seconds=time.monotonic() - started,
    )
