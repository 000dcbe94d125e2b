"""What a working session produced: its record (subjects, compte-rendu shared or internal,
partners pointed to) and its action items, the team's and the collectivité's."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ActionItem, Appointment, SessionRecord
from .base import MoveRefused, _locked, _log, _require_team


def record_session(
    appointment, *, by, subjects, report, report_shared, partners, new_items=(), done_items=()
):
    """The team writes (or rewrites) the record of a held session, adds its action items
    (``new_items``: (title, owner, due_on) triples) and marks ``done_items`` done."""
    with _locked(appointment.request) as locked:
        _require_team(by)
        current = Appointment.objects.get(pk=appointment.pk)
        if current.status != Appointment.Status.HELD:
            raise MoveRefused(_("Le compte rendu se rédige pour une séance tenue."))
        record, _created = SessionRecord.objects.get_or_create(appointment=current)
        record.subjects, record.report, record.report_shared = list(subjects), report, report_shared
        record.save()
        record.partners.set(partners)
        for title, owner, due_on in new_items:
            ActionItem.objects.create(appointment=current, title=title, owner=owner, due_on=due_on)
        done = current.action_items.open().filter(pk__in=[item.pk for item in done_items])
        done.update(done_at=timezone.now())
        _log(
            locked,
            "intake.session_recorded",
            by,
            appointment=current.pk,
            shared=report_shared,
            items=len(new_items),
        )
    return record


def applicant_completes(item):
    """The collectivité marks one of its action items done, from its status page."""
    with _locked(item.appointment.request) as locked:
        current = ActionItem.objects.select_for_update().get(pk=item.pk)
        if current.owner != ActionItem.Owner.COLLECTIVITE or current.done_at is not None:
            raise MoveRefused(_("Cette action est déjà faite."))
        current.done_at = timezone.now()
        current.save(update_fields=["done_at"])
        _log(locked, "intake.action_done", None, item=current.pk, detail=current.title)
    return current
