"""What a working session produced: its record (subjects, compte-rendu, partners pointed to)
and its action items. Written by the lifecycle only (``lifecycle/sessions.py``)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from .needs import Need

__all__ = ["ActionItem", "SessionRecord"]

# The compte-rendu's toolbar: what a report needs, nothing that breaks an email or a page.
REPORT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]


class SessionRecord(models.Model):
    """The team's record of a session held."""

    wagtail_reference_index_ignore = True

    appointment = models.OneToOneField(
        "intake.Appointment",
        verbose_name=_("séance"),
        on_delete=models.CASCADE,
        related_name="record",
    )
    subjects = models.JSONField(_("sujets abordés"), default=list, blank=True)
    report = RichTextField(_("compte rendu"), blank=True, features=REPORT_FEATURES)
    report_shared = models.BooleanField(
        _("compte rendu partagé avec la collectivité"), default=False
    )
    partners = models.ManyToManyField(
        "home.Partner", verbose_name=_("partenaires et pistes indiqués"), blank=True
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("compte rendu de séance")
        verbose_name_plural = _("comptes rendus de séance")

    def __str__(self):
        return str(self.appointment)

    def subject_labels(self):
        return [Need(value).label for value in self.subjects if value in Need.values]


class ActionItemQuerySet(models.QuerySet):
    def for_collectivite(self):
        return self.filter(owner=ActionItem.Owner.COLLECTIVITE)

    def open(self):
        return self.filter(done_at__isnull=True)


class ActionItem(models.Model):
    """Something to do after a session: by the team or by the collectivité, by a date."""

    wagtail_reference_index_ignore = True

    class Owner(models.TextChoices):
        TEAM = "team", _("L'équipe")
        COLLECTIVITE = "collectivite", _("La collectivité")

    appointment = models.ForeignKey(
        "intake.Appointment",
        verbose_name=_("séance"),
        on_delete=models.CASCADE,
        related_name="action_items",
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("qui"), max_length=20, choices=Owner.choices)
    due_on = models.DateField(_("pour le"), null=True, blank=True)
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        # Those with a date first, the soonest first, on every database.
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]
        verbose_name = _("action à mener")
        verbose_name_plural = _("actions à mener")

    def __str__(self):
        return self.title
