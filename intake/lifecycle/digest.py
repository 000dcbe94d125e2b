"""The team's daily digest, sent once per member and working day, and each member's choice
to receive it.

The digest of a day is claimed by inserting its row (``DigestDelivery``, unique per member
and day): of two copies of the periodic job, the second waits on the unique index until the
first commits, then finds the row taken and sends nothing."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import digest, notifications
from ..models import DigestDelivery, TeamMemberPreference


def _claim(member, day, now, *, sent):
    """Whether this copy is the one that makes ``member``'s digest of ``day``."""
    try:
        with transaction.atomic():
            DigestDelivery.objects.create(member=member, day=day, created_at=now, sent=sent)
    except IntegrityError:
        return False
    return True


def send_daily_digests(now=None):
    """Each subscribed team member's digest of today, once, from DIGEST_TIME on a working
    day; the number of digests sent (an empty one is not)."""
    now = now or timezone.now()
    today = digest.due_day(now)
    if today is None:
        return 0
    sent = 0
    for member in digest.recipients(today):
        day = digest.digest_day(member, today, now)
        sections = digest.sections(day)
        with transaction.atomic():
            if _claim(member, today, now, sent=bool(sections)) and sections:
                notifications.daily_digest(member, today, sections)
                sent += 1
    return sent


def set_daily_digest(user, *, enabled):
    """The team member receives the daily digest, or no longer does."""
    TeamMemberPreference.objects.update_or_create(user=user, defaults={"daily_digest": enabled})
