"""``/healthz``: the database, the cache and the task queue, each named; a 503 when one fails."""

from datetime import timedelta

import pytest
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from intake import tasks
from portal import health

pytestmark = pytest.mark.django_db

HEALTHY = {
    "status": "ok",
    "checks": {
        "database": {"status": "ok"},
        "cache": {"status": "ok"},
        "tasks": {"status": "ok", "oldest_queued_seconds": 0},
    },
}


def test_a_healthy_stack_answers_ok_without_being_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == HEALTHY
    assert "no-cache" in response["Cache-Control"]


def test_the_database_down_is_a_503_that_names_it(client, monkeypatch):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["checks"]["database"] == {
        "status": "fail",
        "error": "OperationalError: connection refused",
    }
    assert response.json()["checks"]["cache"] == {"status": "ok"}


def test_a_cache_that_loses_what_it_stores_fails(client, monkeypatch):
    monkeypatch.setattr(health.cache, "get", lambda key: None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {
        "status": "fail",
        "error": "RuntimeError: the cache does not return what was stored",
    }


def _queued(enqueued_ago, run_after=None):
    # A task as the database backend stores it, before any worker took it.
    result = DBTaskResult.objects.create(
        task_path=tasks.deliver_email.module_path,
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=enqueued_ago)
    )


def test_a_task_waiting_too_long_means_no_worker(client, settings):
    settings.HEALTHZ_TASK_MAX_AGE = 600
    _queued(enqueued_ago=120)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["tasks"]["oldest_queued_seconds"] in (120, 121)

    _queued(enqueued_ago=900)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"]["status"] == "fail"
    assert response.json()["checks"]["tasks"]["error"] in (
        "RuntimeError: the oldest queued task has waited 900 s",
        "RuntimeError: the oldest queued task has waited 901 s",
    )


def test_a_retry_waits_from_its_run_after_not_from_its_first_try(client):
    # Enqueued an hour ago, to be retried in ten minutes: nothing is late.
    _queued(enqueued_ago=3600, run_after=timezone.now() + timedelta(minutes=10))
    assert client.get("/healthz").json() == HEALTHY
    # Its retry time passed 30 s ago: it has waited 30 s, not an hour.
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=30))
    assert client.get("/healthz").json()["checks"]["tasks"]["oldest_queued_seconds"] in (30, 31)
