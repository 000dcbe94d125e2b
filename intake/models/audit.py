"""The audit log of requests: Wagtail's log entries, in a table of their own, so that an event
the applicant made (from the status page, by email) is told as the collectivité's, never as
"système", and that only the team ever reads them."""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry, BaseLogEntryManager

from .request import READ_PERMISSION, IntakeRequest

__all__ = ["RequestLogEntry"]


class RequestLogEntryManager(BaseLogEntryManager):
    def get_queryset(self):
        # The collectivité names the applicant's events, in every listing of them.
        return super().get_queryset().select_related("intake_request__collectivite")

    def log_action(self, instance, action, **kwargs):
        return super().log_action(instance, action, intake_request=instance, **kwargs)

    def for_instance(self, instance):
        return self.filter(intake_request=instance)

    def viewable_by_user(self, user):
        """Requests hold personal data: only the team reads their story."""
        if user.is_active and user.has_perm(READ_PERMISSION):
            return self.all()
        return self.none()


class RequestLogEntry(BaseLogEntry):
    # No database constraint: a log outlives nothing it tells of, but must never block.
    intake_request = models.ForeignKey(
        IntakeRequest,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="log_entries",
        verbose_name=_("demande"),
    )

    objects = RequestLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("événement d'une demande")
        verbose_name_plural = _("événements des demandes")

    def __str__(self):
        return f"{self.action} — {self.label}"

    @cached_property
    def user_display_name(self):
        if self.user_id is None:
            return self.intake_request.collectivite_label
        return super().user_display_name

    @property
    def object_id(self):
        return self.intake_request_id
