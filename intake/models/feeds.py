"""Each team member's private iCalendar feed: the secret address their calendar subscribes to.

The address is ``<key><signature>``: the key, random, is what the row keeps; the signature is
an HMAC of the key under the project's secret key, never stored. The account page can show
the address again at any time, while the database alone opens no feed (it holds no
signature), nor the secret key alone (it knows no key). Renewing draws a new key: the former
address stops working. A key found is checked in constant time against the signature.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from .request import READ_PERMISSION

__all__ = ["CalendarFeed"]

KEY_LENGTH = 16  # hex digits: 64 random bits to find the row
SIGNATURE_LENGTH = 32  # hex digits: 128 bits that only the secret key gives
SALT = "intake.calendar-feed"


def _signature(key, secret):
    return salted_hmac(SALT, key, secret=secret, algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


class CalendarFeedQuerySet(models.QuerySet):
    def for_token(self, token):
        """The feed ``token`` opens, or None. The signature is checked under the current secret
        key and its fallbacks, so that rotating the key keeps the subscribed feeds working
        until the fallback goes."""
        if len(token) != KEY_LENGTH + SIGNATURE_LENGTH:
            return None
        key, signature = token[:KEY_LENGTH], token[KEY_LENGTH:]
        feed = self.select_related("user").filter(key=key).first()
        # Every secret is tried, the key found or not: the answer takes the same time.
        matches = [
            constant_time_compare(signature, _signature(key, secret))
            for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        ]
        return feed if feed is not None and any(matches) else None


class CalendarFeed(models.Model):
    wagtail_reference_index_ignore = True

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre de l'équipe"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    key = models.CharField(_("clé"), max_length=KEY_LENGTH, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    last_fetched_at = models.DateTimeField(
        _("dernière lecture"), null=True, blank=True, editable=False
    )

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("flux d'agenda")
        verbose_name_plural = _("flux d'agenda")

    def __str__(self):
        return str(self.user)

    @staticmethod
    def new_key():
        return secrets.token_hex(KEY_LENGTH // 2)

    @staticmethod
    def allowed_for(user):
        """Whether ``user`` may hold a feed, and their feed answers: a team member (who sees
        the requests) with an active account."""
        return user.is_active and user.has_perm(READ_PERMISSION)

    @property
    def token(self):
        """The secret part of the feed's address."""
        return self.key + _signature(self.key, settings.SECRET_KEY)
