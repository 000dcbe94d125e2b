"""Assigning requests in bulk: one transaction, each request its own audit entry, and one
email to the assignee listing them all."""

from django.db import transaction

from .. import notifications
from ..models import IntakeRequest
from .commands import _assign, _check_assignment, _tells_assignee


def assign_many(intake_requests, *, by, assignee):
    """Give ``intake_requests`` to ``assignee`` (None: to nobody); returns those that changed
    hands."""
    _check_assignment(by, assignee)
    with transaction.atomic():
        # Locked in one order, so that two bulk assignments never wait on each other.
        locked = IntakeRequest.objects.select_for_update().filter(
            pk__in=[intake_request.pk for intake_request in intake_requests]
        )
        assigned = [
            intake_request
            for intake_request in locked.order_by("pk")
            if _assign(intake_request, by, assignee)
        ]
        if assigned and _tells_assignee(by, assignee):
            notifications.assigned_many(assigned, by, assignee)
    return assigned
