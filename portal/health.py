"""``/healthz``: what a load balancer or a monitor asks before sending traffic. Each part of
the stack is checked on its own; one that fails turns the answer into a 503 that names it."""

import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, Min, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {}


def _cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("the cache does not return what was stored")
    cache.delete(key)
    return {}


def _tasks():
    """How long the oldest task ready to run has waited (the database queue only)."""
    if not apps.is_installed("django_tasks_db"):
        return {}
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(waiting_since))["oldest"]
    age = round((timezone.now() - oldest).total_seconds()) if oldest else 0
    if age > settings.HEALTHZ_TASK_MAX_AGE:
        raise RuntimeError(f"the oldest queued task has waited {age} s")
    return {"oldest_queued_seconds": age}


CHECKS = {"database": _database, "cache": _cache, "tasks": _tasks}


def _run(name, check):
    try:
        return {"status": "ok", **check()}
    except Exception as error:
        logger.warning("Health check %s failed: %s", name, error)
        return {"status": "fail", "error": f"{type(error).__name__}: {error}"[:300]}


@never_cache
@require_safe
def healthz(request):
    checks = {name: _run(name, check) for name, check in CHECKS.items()}
    healthy = all(result["status"] == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )
