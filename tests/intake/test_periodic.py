"""The one periodic entry point: due jobs run once per interval, never two copies of a job at
once, a failing job stops neither the others nor the loop."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from intake import periodic
from intake.models import OutgoingEmail, PeriodicJob


@pytest.fixture
def jobs(monkeypatch):
    """Two jobs of our own in place of the portal's: their runs are recorded."""
    runs = []

    def counting():
        runs.append("counting")
        return len(runs)

    def failing():
        runs.append("failing")
        raise ValueError("boom")

    monkeypatch.setattr(
        periodic,
        "JOBS",
        [
            periodic.Job("counting", counting, timedelta(minutes=5)),
            periodic.Job("failing", failing, timedelta(minutes=5)),
        ],
    )
    return runs


def outcomes(results):
    return [(outcome.job, outcome.ran, outcome.result, outcome.error) for outcome in results]


def test_due_jobs_run_once_per_interval(db, jobs):
    now = timezone.now()

    first = periodic.run_due(now=now)
    again = periodic.run_due(now=now + timedelta(minutes=4))
    later = periodic.run_due(now=now + timedelta(minutes=5))

    assert outcomes(first) == [
        ("counting", True, 1, ""),
        ("failing", True, None, "ValueError: boom"),
    ]
    assert outcomes(again) == [("counting", False, None, ""), ("failing", False, None, "")]
    assert [outcome.ran for outcome in later] == [True, True]
    assert jobs == ["counting", "failing", "counting", "failing"]
    failing = PeriodicJob.objects.get(name="failing")
    assert (failing.last_error, failing.locked_until, failing.locked_by) == (
        "ValueError: boom",
        None,
        "",
    )
    assert PeriodicJob.objects.get(name="counting").last_error == ""


def test_a_job_held_by_another_copy_is_left_alone_until_its_lease_expires(db, jobs):
    now = timezone.now()
    PeriodicJob.objects.create(
        name="counting", locked_until=now + timedelta(minutes=15), locked_by="other"
    )

    held = periodic.run_due(["counting"], force=True, now=now)
    expired = periodic.run_due(["counting"], force=True, now=now + timedelta(minutes=15))

    assert outcomes(held) == [("counting", False, None, "")]
    assert outcomes(expired) == [("counting", True, 1, "")]


def test_the_command_runs_the_due_jobs_and_says_what_failed(db, jobs):
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="Une tâche a échoué"):
        call_command("run_periodic", stdout=out, stderr=err)

    assert out.getvalue() == "counting : 1\n"
    assert err.getvalue() == "failing : échec — ValueError: boom\n"


def test_the_command_refuses_an_unknown_job(db, jobs):
    with pytest.raises(CommandError, match="Tâche inconnue : rappels"):
        call_command("run_periodic", "--job", "rappels")


def test_the_portal_s_jobs(db, settings):
    settings.IMAP_HOST = ""
    OutgoingEmail.objects.create(kind="test", to=["a@example.fr"], subject="S", body_text="T")
    out = StringIO()

    call_command("run_periodic", stdout=out)

    # The mailbox is off without an IMAP server; the outbox's safety net hands the email on.
    assert out.getvalue() == (
        "mailbox : pas due, désactivée ou déjà en cours\npending_emails : 1\nreminders : 0\n"
        "digest : 0\nawaiting_reminders : 0\nretention : 0\n"
    )
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_the_loop_runs_the_due_jobs_again_after_its_pause(db, jobs, monkeypatch):
    pauses = []

    def sleep(seconds):
        pauses.append(seconds)
        if len(pauses) == 2:
            raise KeyboardInterrupt
        # The next round comes after the jobs' interval.
        PeriodicJob.objects.update(last_started_at=timezone.now() - timedelta(minutes=5))

    monkeypatch.setattr("intake.management.commands.run_periodic.time.sleep", sleep)
    out, err = StringIO(), StringIO()

    with pytest.raises(KeyboardInterrupt):
        call_command("run_periodic", "--loop", "30", stdout=out, stderr=err)

    assert pauses == [30, 30]
    assert out.getvalue() == "counting : 1\ncounting : 3\n"
    assert err.getvalue() == "failing : échec — ValueError: boom\n" * 2
