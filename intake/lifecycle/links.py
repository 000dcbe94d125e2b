"""The expiry of status links: a link past its ``expires_at``, or of a request that ended
more than TOKEN_LIFETIME_AFTER_END ago (which ``with_token`` no longer opens), is deleted by
the retention's purge (``retention.py``)."""

from django.db.models import Q
from django.utils import timezone

from ..models import AccessToken
from ..models.request import TOKEN_LIFETIME_AFTER_END


def expired_links(now=None):
    """The status links that no longer open anything."""
    now = now or timezone.now()
    return AccessToken.objects.filter(
        Q(expires_at__lte=now) | Q(request__ended_at__lt=now - TOKEN_LIFETIME_AFTER_END)
    )


def delete_expired_links(now=None):
    """Delete the status links that no longer open anything; how many were deleted."""
    deleted, _by_model = expired_links(now).delete()
    return deleted
