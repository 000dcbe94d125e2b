"""The README's one command for the production stack on this machine (bin/production-stack)
starts gunicorn with the production settings, the task worker and the periodic jobs on a
PostgreSQL database of its own and Redis, and stops them all together."""

import json
import os
import signal
import subprocess
import time
import urllib.request

from tests.processes import ROOT, environment, free_port

from .conftest import DEFAULT_REDIS, _maintenance, _server_url, _with_database


def test_one_command_starts_the_production_stack(tmp_path):
    server = _server_url()
    name = f"portal_stack_{os.getpid()}"
    port = free_port()
    env = environment(
        DATABASE_URL=_with_database(server, name),
        REDIS_URL=os.environ.get("REDIS_URL", DEFAULT_REDIS),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        EMAIL_FILE_PATH=str(tmp_path / "emails"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        SECRET_KEY="stack-test-" + "k3y-" * 12,
    )
    log = (tmp_path / "stack.log").open("w")
    stack = subprocess.Popen(
        ["bin/production-stack"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        health = None
        deadline = time.monotonic() + 480
        while health is None:
            assert stack.poll() is None, (tmp_path / "stack.log").read_text()[-3000:]
            assert time.monotonic() < deadline, (tmp_path / "stack.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    health = json.load(r)
            except OSError:
                time.sleep(1)
        # The database queue is read: the production settings and their worker are in use.
        assert health["status"] == "ok"
        assert set(health["checks"]) == {"database", "cache", "tasks"}
        assert "oldest_queued_seconds" in health["checks"]["tasks"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/la-cellule/", timeout=5) as page:
            assert page.status == 200
        processes = subprocess.run(
            ["pgrep", "-g", str(stack.pid), "-a"], capture_output=True, text=True
        ).stdout
        assert "db_worker" in processes and "run_periodic" in processes
        # 1 arbiter and its 2 workers.
        assert processes.count("gunicorn") == 3
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        stack.wait(timeout=60)
        log.close()
        with _maintenance(server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    # Stopped together: the group empties once the workers have finished gracefully.
    deadline = time.monotonic() + 60
    while _group(stack.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _group(stack.pid) == ""


def _group(pgid):
    return subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True, text=True).stdout
