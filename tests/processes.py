"""The project as separate processes, for the tests and benchmarks that need a real server:
a free port, an environment of its own, manage.py."""

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Set by the test process for itself (pytest-django, Playwright's sync API): never inherited.
_OWN_VARIABLES = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(**settings):
    """The caller's environment less its test-only variables, plus ``settings`` (an empty
    value unsets a setting: the project reads "" as not set)."""
    inherited = {key: value for key, value in os.environ.items() if key not in _OWN_VARIABLES}
    return {**inherited, **settings}


def manage(env, *args, timeout=600):
    """Run a manage.py command; raise RuntimeError with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result
