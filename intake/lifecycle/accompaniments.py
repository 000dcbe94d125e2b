"""The accompaniment's own writes: its rhythm, the due window of its next session (kept on
the request as ``lifecycle/cadence.py`` computes it), and the collectivité's word on it once
it is over. The moves that suspend and resume it are declared in ``moves.py``."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import IntakeRequest, Need, Rhythm, SatisfactionAnswer
from . import cadence
from .base import MoveNotAllowed, MoveRefused, _locked, _log, _require_team

Status = IntakeRequest.Status
MAX_WEEKS = 52
# What the functions below change, for the caller's save.
CADENCE_FIELDS = [
    "cadence",
    "cadence_min_weeks",
    "cadence_max_weeks",
    "started_on",
    "last_session_on",
    "suspended_on",
    "suspended_days",
    "next_session_from",
    "next_session_until",
]


def refresh_window(locked):
    """Store the due window of the locked request's next session (not saved)."""
    window = cadence.due_window(
        rhythm=locked.cadence,
        last_held_on=locked.last_session_on,
        started_on=locked.started_on,
        min_weeks=locked.cadence_min_weeks,
        max_weeks=locked.cadence_max_weeks,
        suspended_days=locked.suspended_days,
    )
    locked.next_session_from = window.opens if window else None
    locked.next_session_until = window.closes if window else None


def accepted(locked):
    """The rhythm starts as the applicant wished it, unless the team chose one already (not
    saved)."""
    locked.cadence = locked.cadence or locked.rhythm


def session_held(locked, day):
    """A session was held on ``day``: the cadence counts from it again, unless a later one
    was recorded already (not saved)."""
    if locked.last_session_on is None or day > locked.last_session_on:
        locked.last_session_on = day
        locked.suspended_days = 0
        refresh_window(locked)


def started(locked, today):
    """The accompaniment starts ``today`` (not saved)."""
    locked.started_on = today
    refresh_window(locked)


def suspended(locked, today):
    """The clock stops ``today`` (not saved)."""
    locked.suspended_on = today


def resumed(locked, today):
    """The clock runs again: the days suspended push the window back (not saved)."""
    if locked.suspended_on is not None:
        locked.suspended_days += cadence.days_between(locked.suspended_on, today)
        locked.suspended_on = None
    refresh_window(locked)


def cadence_label(rhythm, min_weeks, max_weeks):
    if rhythm == Rhythm.ONE_OFF:
        return _("ponctuel")
    return _("régulier, de %(min)s à %(max)s semaines après la dernière séance") % {
        "min": min_weeks,
        "max": max_weeks,
    }


def set_cadence(intake_request, *, by, rhythm, min_weeks, max_weeks):
    """The team chooses the accompaniment's rhythm: one-off, or regular with the next session
    ``min_weeks`` to ``max_weeks`` after the last one; the due window follows at once."""
    with _locked(intake_request) as locked:
        _require_team(by)
        if locked.status not in IntakeRequest.CADENCE_STATUSES:
            raise MoveNotAllowed(
                _("Le rythme se choisit pour une demande acceptée ou accompagnée.")
            )
        if rhythm not in Rhythm.values:
            raise MoveRefused(_("Choisissez le rythme de l'accompagnement."))
        if not 1 <= min_weeks <= MAX_WEEKS or not 1 <= max_weeks <= MAX_WEEKS:
            raise MoveRefused(
                _("Les délais se comptent de 1 à %(max)s semaines.") % {"max": MAX_WEEKS}
            )
        if min_weeks > max_weeks:
            raise MoveRefused(
                _("Le délai au plus tard doit être supérieur ou égal au délai au plus tôt.")
            )
        before = (locked.cadence, locked.cadence_min_weeks, locked.cadence_max_weeks)
        if before == (rhythm, min_weeks, max_weeks):
            return locked
        locked.cadence, locked.cadence_min_weeks, locked.cadence_max_weeks = (
            rhythm,
            min_weeks,
            max_weeks,
        )
        refresh_window(locked)
        locked.save(update_fields=CADENCE_FIELDS)
        _log(
            locked,
            "intake.cadence_changed",
            by,
            rhythm=rhythm,
            min_weeks=min_weeks,
            max_weeks=max_weeks,
            detail=cadence_label(rhythm, min_weeks, max_weeks),
        )
    return locked


def check_subjects(subjects):
    """The subjects of a bilan: at least one, each one of the five of the offer."""
    subjects = list(dict.fromkeys(subjects))
    if not subjects:
        raise MoveRefused(_("Cochez au moins un sujet travaillé."))
    if any(subject not in Need.values for subject in subjects):
        raise MoveRefused(_("Choisissez les sujets parmi ceux de l'offre."))
    return subjects


def answer_satisfaction(intake_request, *, score, comment=""):
    """The collectivité says, once, how useful its accompaniment was (1 to 5, a comment)."""
    with _locked(intake_request) as locked:
        if locked.status != Status.CLOSED:
            raise MoveNotAllowed(_("L'avis se donne une fois l'accompagnement terminé."))
        if score not in SatisfactionAnswer.Score.values:
            raise MoveRefused(_("Choisissez une note de 1 à 5."))
        if SatisfactionAnswer.objects.filter(request=locked).exists():
            raise MoveRefused(_("Vous avez déjà donné votre avis : merci."))
        # Checked under the request's lock; the database's unique constraint stands behind.
        answer = SatisfactionAnswer.objects.create(
            request=locked, score=score, comment=(comment or "").strip(), answered_at=timezone.now()
        )
        _log(locked, "intake.satisfaction_answered", None, score=score, detail=f"{score}/5")
    return answer
