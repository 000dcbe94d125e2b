"""The private iCalendar feeds: what a team member's calendar reads at their secret address.

A feed holds what the team's invitations carry, no more: each appointment's kind, the
collectivité, the request's reference and page, the video link, under the invitations' own
UID and SEQUENCE; never the applicant's name, address or phone.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .emails import request_admin_url, team_address
from .ics import feed_ics
from .models import Appointment

# How far back a feed starts: the weeks a calendar keeps showing the past sessions.
PAST = timedelta(weeks=8)
# How long a cancelled appointment stays in the feed, marked cancelled, so that the calendars
# that copied it remove it (a calendar polls hourly; one kept away for a month still learns).
CANCELLED_KEPT = timedelta(days=30)


def appointments_in_feed(user, *, now):
    """The first exchanges and sessions ``user`` holds or whose request is theirs, from
    PAST ago on, the cancelled ones only within CANCELLED_KEPT of their cancellation."""
    hosted = Appointment.hosts.through.objects.filter(user=user).values("appointment_id")
    return (
        Appointment.objects.filter(Q(pk__in=hosted) | Q(request__assignee=user))
        .filter(starts_at__gte=now - PAST)
        .filter(
            ~Q(status__in=Appointment.CANCELLED_STATUSES) | Q(updated_at__gte=now - CANCELLED_KEPT)
        )
        .select_related("request__collectivite")
        .order_by("starts_at", "pk")
    )


def calendar(feed):
    """The feed's iCalendar bytes."""
    appointments = appointments_in_feed(feed.user, now=timezone.now())
    return feed_ics(
        appointments,
        lambda appointment: request_admin_url(appointment.request),
        team_address(),
        name=_("Territoires d’engagement — mes rendez-vous"),
    )
