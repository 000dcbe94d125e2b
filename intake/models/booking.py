"""The permanence as data (opening rules, closures) and the appointments booked in it.

The rules that turn these rows into bookable slots live in ``intake.booking``.
"""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from home.typography import french_hour

__all__ = [
    "PARIS",
    "Appointment",
    "Closure",
    "OpeningRule",
    "Weekday",
]

# The permanence's clock: a 14:00 slot is at 14:00 in Paris, winter and summer alike.
PARIS = ZoneInfo("Europe/Paris")


class Weekday(models.IntegerChoices):
    """Numbered like ``date.weekday()``: Monday is 0."""

    MONDAY = 0, _("Lundi")
    TUESDAY = 1, _("Mardi")
    WEDNESDAY = 2, _("Mercredi")
    THURSDAY = 3, _("Jeudi")
    FRIDAY = 4, _("Vendredi")
    SATURDAY = 5, _("Samedi")
    SUNDAY = 6, _("Dimanche")


def minutes_of_day(value):
    """14:30 → 870: rules and slots do their arithmetic in minutes."""
    return value.hour * 60 + value.minute


class OpeningRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class OpeningRule(models.Model):
    """A weekly opening of the permanence, cut into slots of equal length."""

    label = models.CharField(_("libellé"), max_length=100, blank=True)
    weekday = models.PositiveSmallIntegerField(_("jour de la semaine"), choices=Weekday.choices)
    start_time = models.TimeField(_("heure de début"))
    end_time = models.TimeField(_("heure de fin"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("durée d'un créneau (minutes)"),
        default=30,
        validators=[MinValueValidator(5)],
    )
    seats = models.PositiveSmallIntegerField(
        _("places par créneau"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Nombre de rendez-vous simultanés possibles sur un même créneau."),
    )
    min_days_ahead = models.PositiveSmallIntegerField(
        _("délai minimal de réservation (jours)"),
        default=2,
        help_text=_("Un créneau se réserve au plus tôt ce nombre de jours à l'avance."),
    )
    max_days_ahead = models.PositiveSmallIntegerField(
        _("délai maximal de réservation (jours)"),
        default=56,
        validators=[MaxValueValidator(366)],
        help_text=_("Un créneau se réserve au plus tard ce nombre de jours à l'avance."),
    )
    active = models.BooleanField(_("active"), default=True)

    objects = OpeningRuleQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "start_time", "pk"]
        verbose_name = _("règle d'ouverture")
        verbose_name_plural = _("règles d'ouverture")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="intake_openingrule_ends_after_start",
                violation_error_message=_("L'heure de fin doit suivre l'heure de début."),
            ),
            models.CheckConstraint(
                condition=Q(max_days_ahead__gte=F("min_days_ahead")),
                name="intake_openingrule_window_not_empty",
                violation_error_message=_(
                    "Le délai maximal doit être supérieur ou égal au délai minimal."
                ),
            ),
        ]

    def __str__(self):
        text = _("%(weekday)s de %(start)s à %(end)s") % {
            "weekday": self.get_weekday_display(),
            "start": french_hour(self.start_time),
            "end": french_hour(self.end_time),
        }
        return f"{self.label} ({text})" if self.label else text

    def clean(self):
        super().clean()
        if self.start_time is None or self.end_time is None:
            return
        length = minutes_of_day(self.end_time) - minutes_of_day(self.start_time)
        if length <= 0:
            raise ValidationError({"end_time": _("L'heure de fin doit suivre l'heure de début.")})
        if self.slot_minutes and self.slot_minutes > length:
            raise ValidationError(
                {
                    "slot_minutes": _(
                        "Un créneau de %(slot)s minutes ne tient pas dans une plage "
                        "de %(length)s minutes."
                    )
                    % {"slot": self.slot_minutes, "length": length}
                }
            )
        if (
            self.min_days_ahead is not None
            and self.max_days_ahead is not None
            and self.max_days_ahead < self.min_days_ahead
        ):
            raise ValidationError(
                {
                    "max_days_ahead": _(
                        "Le délai maximal doit être supérieur ou égal au délai minimal."
                    )
                }
            )
        if self.active and self.weekday is not None:
            # Overlapping rules would offer the same start time twice, with different lengths.
            overlapping = (
                OpeningRule.objects.active()
                .filter(
                    weekday=self.weekday,
                    start_time__lt=self.end_time,
                    end_time__gt=self.start_time,
                )
                .exclude(pk=self.pk)
                .first()
            )
            if overlapping:
                raise ValidationError(
                    _("Cette plage chevauche une autre règle active : %(rule)s.")
                    % {"rule": overlapping}
                )


class ClosureQuerySet(models.QuerySet):
    def overlapping(self, first_day, last_day):
        """Closures touching at least one day of ``first_day``..``last_day`` (inclusive)."""
        return self.filter(start_date__lte=last_day, end_date__gte=first_day)


class Closure(models.Model):
    """Time without permanence (holidays of the team, a seminar, an afternoon…): from its first
    day (at its start time, if any) to its last day included (until its end time, if any)."""

    start_date = models.DateField(_("premier jour"))
    start_time = models.TimeField(
        _("à partir de"),
        null=True,
        blank=True,
        help_text=_("Laissez vide pour fermer dès le début du premier jour."),
    )
    end_date = models.DateField(_("dernier jour"), help_text=_("Ce jour est inclus."))
    end_time = models.TimeField(
        _("jusqu'à"),
        null=True,
        blank=True,
        help_text=_("Laissez vide pour fermer jusqu'à la fin du dernier jour."),
    )
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="intake_closure_ends_after_start",
                violation_error_message=_(
                    "Le dernier jour doit être le premier jour ou le suivre."
                ),
            ),
        ]

    def __str__(self):
        if self.start_date == self.end_date:
            period = _("le %(day)s") % {"day": _format_day(self.start_date)}
        else:
            period = _("du %(start)s au %(end)s") % {
                "start": _format_day(self.start_date),
                "end": _format_day(self.end_date),
            }
        if self.start_time or self.end_time:
            period = _("%(period)s, de %(start)s à %(end)s") % {
                "period": period,
                "start": french_hour(self.start_time or time.min),
                "end": french_hour(self.end_time) if self.end_time else _("minuit"),
            }
        return f"{self.reason} ({period})" if self.reason else str(period)

    @property
    def is_whole_days(self):
        return self.start_time is None and self.end_time is None

    def bounds(self):
        """(start, end) of the closure, end excluded, as aware datetimes in Paris."""
        start = datetime.combine(self.start_date, self.start_time or time.min, tzinfo=PARIS)
        if self.end_time is None:
            end = datetime.combine(self.end_date + timedelta(days=1), time.min, tzinfo=PARIS)
        else:
            end = datetime.combine(self.end_date, self.end_time, tzinfo=PARIS)
        return start, end

    def covers(self, starts_at, ends_at):
        """Whether the closure takes any part of ``starts_at``..``ends_at``."""
        start, end = self.bounds()
        return starts_at < end and ends_at > start

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("Le dernier jour doit être le premier jour ou le suivre.")}
            )
        if self.start_date and self.end_date and self.end_date >= self.start_date:
            start, end = self.bounds()
            if end <= start:
                raise ValidationError({"end_time": _("La fermeture doit finir après son début.")})


def _format_day(value):
    return date_format(value, "DATE_FORMAT") if value else ""


class AppointmentQuerySet(models.QuerySet):
    def booked(self):
        return self.filter(status=Appointment.Status.BOOKED)

    def not_cancelled(self):
        """Booked, held or missed: what stands in the team's agenda."""
        return self.exclude(status__in=Appointment.CANCELLED_STATUSES)

    def in_permanence(self):
        """Those that take a seat of the permanence (a session at another time takes none)."""
        return self.filter(seat__isnull=False)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Appointment(models.Model):
    """A seat taken in a slot of the permanence, for one request."""

    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        FIRST_EXCHANGE = "first_exchange", _("Premier échange")
        WORKING_SESSION = "working_session", _("Séance de travail")

    class Status(models.TextChoices):
        BOOKED = "booked", _("Réservé")
        HELD = "held", _("Tenu")
        NO_SHOW = "no_show", _("Absence")
        CANCELLED_BY_APPLICANT = "cancelled_by_applicant", _("Annulé par la collectivité")
        CANCELLED_BY_TEAM = "cancelled_by_team", _("Annulé par l'équipe")

    CANCELLED_STATUSES = (Status.CANCELLED_BY_APPLICANT, Status.CANCELLED_BY_TEAM)

    request = models.ForeignKey(
        "intake.IntakeRequest",
        verbose_name=_("demande"),
        on_delete=models.CASCADE,
        related_name="appointments",
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    kind = models.CharField(
        _("nature"), max_length=20, choices=Kind.choices, default=Kind.FIRST_EXCHANGE
    )
    status = models.CharField(
        _("statut"), max_length=30, choices=Status.choices, default=Status.BOOKED
    )
    # The seat taken in a slot of the permanence; none for a session at another time.
    seat = models.PositiveSmallIntegerField(
        _("place"), null=True, blank=True, default=1, validators=[MinValueValidator(1)]
    )
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tenu par"),
        related_name="hosted_appointments",
        blank=True,
    )
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    # The start its reminder was sent for: moving the appointment re-arms the reminder.
    reminded_for = models.DateTimeField(_("rappel envoyé pour"), null=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    # RFC 7986 recommends a bare UUID as the UID of a calendar component.
    ics_uid = models.UUIDField(
        _("identifiant iCalendar"), default=uuid.uuid4, unique=True, editable=False
    )
    ics_sequence = models.PositiveIntegerField(_("version iCalendar"), default=0, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "seat"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        constraints = [
            # The database, not the application, guarantees one booking per seat: two
            # concurrent bookers of the same seat cannot both commit.
            models.UniqueConstraint(
                fields=["starts_at", "seat"],
                condition=Q(status="booked"),
                name="intake_appointment_one_booking_per_seat",
                violation_error_message=_("Cette place est déjà réservée sur ce créneau."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="intake_appointment_ends_after_start",
                violation_error_message=_("La fin du rendez-vous doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=Q(seat__gte=1),
                name="intake_appointment_seat_positive",
                violation_error_message=_("Le numéro de place commence à 1."),
            ),
        ]
        indexes = [
            models.Index(fields=["request", "status"]),
            # A week of the agenda, and a request's next session, read by their start.
            models.Index(fields=["starts_at"], name="intake_appointment_starts"),
            models.Index(fields=["request", "starts_at"], name="intake_appointment_req_starts"),
        ]

    def __str__(self):
        return _("%(kind)s le %(when)s") % {
            "kind": self.get_kind_display(),
            "when": _format_moment(self.starts_at),
        }

    @property
    def in_permanence(self):
        return self.seat is not None

    @property
    def is_cancelled(self):
        return self.status in self.CANCELLED_STATUSES

    @property
    def minutes(self):
        """How long it lasts, in minutes."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def has_started(self):
        """Whether it can have been held (or missed) yet."""
        return self.starts_at <= timezone.now()


def _format_moment(value):
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""
