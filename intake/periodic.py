"""The portal's periodic work, in one place: the registry of jobs and the one entry point
that runs those due (``manage.py run_periodic``, from cron, a systemd timer or a process of
its own with ``--loop``).

Each job holds a lease row (``PeriodicJob``) while it runs: taking it is one conditional
UPDATE, so two copies of the entry point, on one machine or several, never run the same job
at once, and a job is not run again before its interval. A copy that dies leaves the lease
to expire after ``lease``.

Adding a job: a function that does one round of the work and returns a count (or a short
text), and its ``Job`` line in JOBS below; nothing else.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from . import mailbox, tasks
from .lifecycle import awaiting, digest, reminders, retention
from .models import PeriodicJob

logger = logging.getLogger(__name__)


def _always():
    return True


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    every: timedelta
    enabled: Callable[[], bool] = _always
    # How long a run may hold the job before another copy takes it over.
    lease: timedelta = field(default=timedelta(minutes=15))


JOBS = [
    Job("mailbox", mailbox.fetch_replies, timedelta(minutes=2), enabled=mailbox.enabled),
    Job("pending_emails", tasks.requeue_due_emails, timedelta(minutes=5)),
    Job("reminders", reminders.send_due_reminders, timedelta(minutes=15)),
    # Every 15 minutes: the job itself sends each member's digest once, from DIGEST_TIME.
    Job("digest", digest.send_daily_digests, timedelta(minutes=15)),
    Job("awaiting_reminders", awaiting.send_awaiting_reminders, timedelta(hours=1)),
    # Expired status links, spam, sent emails, unused feeds, and ended requests anonymised
    # once their period is over, a batch a round (lifecycle/retention.py).
    Job("retention", retention.run_round, timedelta(hours=1)),
]


def registry():
    return {job.name: job for job in JOBS}


@dataclass
class Outcome:
    job: str
    ran: bool
    result: object = None
    error: str = ""


def _acquire(job, owner, now, force):
    PeriodicJob.objects.get_or_create(name=job.name)
    free = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    due = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every)
    rows = PeriodicJob.objects.filter(free, name=job.name)
    if not force:
        rows = rows.filter(due)
    return bool(rows.update(locked_until=now + job.lease, locked_by=owner, last_started_at=now))


def _release(job, owner, error):
    PeriodicJob.objects.filter(name=job.name, locked_by=owner).update(
        locked_until=None, locked_by="", last_finished_at=timezone.now(), last_error=error
    )


def run(job, *, force=False, now=None):
    """One round of ``job`` if it is due (or ``force``), enabled and not running elsewhere."""
    if not job.enabled():
        return Outcome(job.name, False)
    owner = uuid.uuid4().hex
    if not _acquire(job, owner, now or timezone.now(), force):
        return Outcome(job.name, False)
    try:
        result = job.run()
    except Exception as error:
        # A failing job must not stop the others nor the loop: logged, kept on its row.
        logger.exception("Periodic job %s failed", job.name)
        _release(job, owner, f"{type(error).__name__}: {error}"[:2000])
        return Outcome(job.name, True, error=f"{type(error).__name__}: {error}")
    _release(job, owner, "")
    return Outcome(job.name, True, result)


def run_due(names=None, *, force=False, now=None):
    """Run each due job (those of ``names`` only, when given) once; their outcomes."""
    jobs = registry()
    selected = [jobs[name] for name in names] if names else JOBS
    return [run(job, force=force, now=now) for job in selected]
