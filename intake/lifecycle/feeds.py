"""The team members' calendar feeds: issued (or renewed: the former address stops working),
revoked, and the time a calendar last read one."""

from django.utils import timezone

from ..models import CalendarFeed
from .base import MoveNotPermitted


def issue(user):
    """A new address for ``user``'s feed, created if they had none; returns the feed."""
    if not CalendarFeed.allowed_for(user):
        raise MoveNotPermitted()
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user,
        defaults={"key": CalendarFeed.new_key(), "created_at": timezone.now()},
    )
    return feed


def revoke(user):
    """``user``'s feed answers no more."""
    CalendarFeed.objects.filter(user=user).delete()


def record_fetch(feed):
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
