"""A collectivité's request for support: its reference, its private links, its thread with
the team and the team's internal notes."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..phone import format_phone
from ..text import name_type_of, normalise, with_article
from ..workdays import add_working_days, working_days_between
from .booking import Appointment
from .collectivite import CollectiviteKind, departement_names, departement_regions, region_names
from .needs import Need
from .sessions import ActionItem

__all__ = [
    "READ_PERMISSION",
    "TRIAGE_PERMISSION",
    "AccessToken",
    "AnswerChannel",
    "CadenceState",
    "ConsentChannel",
    "ContactRole",
    "FirstExchange",
    "InternalNote",
    "IntakeRequest",
    "ReferenceCounter",
    "RequestMessage",
    "ResponseClock",
    "Rhythm",
    "SavedQueueFilter",
    "hash_token",
]

# Who may read requests (personal data), and who may act on them: the team.
READ_PERMISSION = "intake.view_personal_data"
TRIAGE_PERMISSION = "intake.triage"
TOKEN_LIFETIME_AFTER_END = timedelta(days=30)
# Each status link works this long after it is sent (and never past the request's end + 30 days).
LINK_LIFETIME = timedelta(days=183)


def link_expiry():
    return timezone.now() + LINK_LIFETIME


class Rhythm(models.TextChoices):
    ONE_OFF = "one_off", _("Un échange ponctuel")
    REGULAR = "regular", _("Un accompagnement régulier (toutes les 4 à 8 semaines)")


class CadenceState(models.TextChoices):
    """Where an accompaniment stands against its rhythm, the most pressing first (the listing
    sorts in this order)."""

    LATE = "late", _("En retard")
    TO_PLAN = "to_plan", _("À planifier")
    SCHEDULED = "scheduled", _("Prévue")
    ON_TIME = "on_time", _("À jour")
    SUSPENDED = "suspended", _("Suspendu")


class AnswerChannel(models.TextChoices):
    """How an applicant's answer reached the team when it did not come by the status page."""

    EMAIL = "email", _("Par courriel")
    PHONE = "phone", _("Par téléphone")
    OTHER = "other", _("D'une autre façon")


class ContactRole(models.TextChoices):
    ELECTED = "elected", _("Élu ou élue")
    STAFF = "staff", _("Agent ou agente")


class FirstExchange(models.TextChoices):
    SLOT = "slot", _("Je choisis un créneau")
    CALL_BACK = "call_back", _("Je préfère être rappelé·e")
    NO_SLOT = "no_slot", _("Aucun créneau ne me convient")


class ConsentChannel(models.TextChoices):
    """How the applicant agreed to the processing of their data."""

    ONLINE = "online", _("En ligne, dans le formulaire")
    ORAL = "oral", _("Oralement")
    WRITTEN = "written", _("Par écrit")


class ReferenceCounter(models.Model):
    """Last reference number given in a year; its row lock serialises concurrent requests."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"

    @classmethod
    def next_reference(cls, year):
        """TE-YYYY-NNNNN, sequential within the year. Must run inside a transaction."""
        assert transaction.get_connection().in_atomic_block
        cls.objects.get_or_create(year=year)
        cls.objects.filter(year=year).update(last_number=F("last_number") + 1)
        number = cls.objects.select_for_update().get(year=year).last_number
        return f"TE-{year}-{number:05d}"


class IntakeRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Requests hold personal data: only the team (view permission) sees any."""
        if user.is_active and user.has_perm(READ_PERMISSION):
            return self
        return self.none()

    def open(self):
        return self.filter(status__in=IntakeRequest.OPEN_STATUSES)

    def ended(self):
        return self.exclude(status__in=IntakeRequest.OPEN_STATUSES)

    def undecided(self):
        return self.filter(status__in=IntakeRequest.UNDECIDED_STATUSES)

    def clock_running(self):
        """Undecided requests that do not wait for the applicant."""
        return self.filter(status__in=IntakeRequest.CLOCK_RUNNING_STATUSES)

    def unassigned(self):
        return self.filter(assignee__isnull=True)

    def assigned_to(self, user):
        return self.filter(assignee=user)

    def with_unread_messages(self):
        """Requests the applicant wrote to (status page or email) since the team last read."""
        return self.filter(unread_since__isnull=False)

    def with_appointment_between(self, start, end):
        booked = Appointment.objects.booked().filter(
            request=OuterRef("pk"), starts_at__gte=start, starts_at__lt=end
        )
        return self.filter(Exists(booked))

    def without_booked_appointment(self):
        return self.exclude(Exists(Appointment.objects.booked().filter(request=OuterRef("pk"))))

    def matching(self, query):
        """Every word of ``query`` found in the search text, accents and case aside ("val de
        marne camille"). A PostgreSQL trigram index serves each word of three letters or more."""
        queryset = self
        for word in query.split():
            normalised = normalise(word)
            if normalised:
                queryset = queryset.filter(search_text__contains=normalised)
        return queryset

    def late(self, today=None):
        """Past their response date; a request waiting for the applicant is never late."""
        return self.clock_running().filter(response_due_on__lt=today or timezone.localdate())

    def due_on(self, day):
        return self.clock_running().filter(response_due_on=day)

    def on_time(self, today=None):
        return self.clock_running().filter(response_due_on__gt=today or timezone.localdate())

    def same_collectivite_as(self, intake_request):
        """Other requests of the same body: the same referential entry, or the same name typed
        outside the referential in the same département."""
        if intake_request.collectivite_id:
            name = intake_request.collectivite.search_name
            departement = intake_request.collectivite.departement_code
            same = Q(collectivite_id=intake_request.collectivite_id)
        else:
            name, departement = (
                intake_request.collectivite_search_name,
                intake_request.collectivite_departement,
            )
            same = Q(pk__in=[])
        if name:
            typed = Q(collectivite__isnull=True, collectivite_search_name=name)
            if departement:
                typed &= Q(collectivite_departement=departement)
            same |= typed
            if not intake_request.collectivite_id:
                listed = Q(collectivite__search_name=name)
                if departement:
                    listed &= Q(collectivite__departement_code=departement)
                same |= listed
        return self.filter(same).exclude(pk=intake_request.pk)

    def with_token(self, token):
        """The request a status link opens, unless the link expired or the request ended long
        ago."""
        now = timezone.now()
        return self.filter(
            access_tokens__digest=hash_token(token), access_tokens__expires_at__gt=now
        ).exclude(ended_at__lt=now - TOKEN_LIFETIME_AFTER_END)

    def accompaniments(self):
        """The ongoing accompaniments, the suspended ones included."""
        return self.filter(status__in=IntakeRequest.ACCOMPANIMENT_STATUSES)

    def with_cadence(self, today=None):
        """Where each request stands against its rhythm on ``today``, told by the database
        from the stored due window: ``cadence_state`` (a CadenceState), ``cadence_rank`` (to
        sort by it, the most pressing first), ``next_session_at`` (its next session booked
        from today on), ``next_on`` (that session's day, else its window's first day) and
        ``open_action_items``."""
        today = today or timezone.localdate()
        day_starts = datetime.combine(today, time.min, tzinfo=timezone.get_current_timezone())
        upcoming = Appointment.objects.booked().filter(
            request=OuterRef("pk"), starts_at__gte=day_starts
        )
        open_items = (
            ActionItem.objects.open()
            .filter(appointment__request=OuterRef("pk"))
            .order_by()
            .values("appointment__request")
            .annotate(count=Count("pk"))
            .values("count")
        )
        # Exists stops at the first booked session: the state of every row costs one probe.
        rules = [
            (Q(status=IntakeRequest.Status.SUSPENDED), CadenceState.SUSPENDED),
            (Exists(upcoming), CadenceState.SCHEDULED),
            (
                Q(next_session_from__isnull=True) | Q(next_session_from__gt=today),
                CadenceState.ON_TIME,
            ),
            (Q(next_session_until__lt=today), CadenceState.LATE),
        ]
        ranks = {state: rank for rank, state in enumerate(CadenceState.values)}
        return self.annotate(
            next_session_at=Subquery(upcoming.order_by("starts_at").values("starts_at")[:1]),
            next_on=Coalesce(TruncDate("next_session_at"), "next_session_from"),
            open_action_items=Coalesce(Subquery(open_items), 0),
            cadence_state=Case(
                *(When(condition, then=Value(state)) for condition, state in rules),
                default=Value(CadenceState.TO_PLAN),
            ),
            cadence_rank=Case(
                *(When(condition, then=Value(ranks[state])) for condition, state in rules),
                default=Value(ranks[CadenceState.TO_PLAN]),
                output_field=IntegerField(),
            ),
        )

    def cadence_due(self, today=None):
        """The accompaniments whose next session is to plan or late on ``today``."""
        return (
            self.accompaniments()
            .with_cadence(today)
            .filter(cadence_state__in=[CadenceState.TO_PLAN, CadenceState.LATE])
        )

    def for_queue(self):
        """What a row of the team's queue shows, in a fixed number of queries."""
        return self.select_related("collectivite", "assignee").prefetch_related(
            "labels",
            Prefetch(
                "appointments",
                queryset=Appointment.objects.booked().order_by("starts_at"),
                to_attr="booked_appointments",
            ),
        )


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class ResponseClock:
    """Where a request stands against the team's response target, in working days."""

    ON_TIME, DUE_TODAY, LATE, PAUSED, ANSWERED, WITHDRAWN = (
        "on_time",
        "due_today",
        "late",
        "paused",
        "answered",
        "withdrawn",
    )
    LABELS = {
        ON_TIME: _("Dans les délais"),
        DUE_TODAY: _("À traiter aujourd'hui"),
        LATE: _("En retard"),
        PAUSED: _("En attente de la collectivité"),
        ANSWERED: _("Répondu"),
        # The collectivité withdrew: no answer is owed any more.
        WITHDRAWN: _("Sans objet"),
    }
    # The states that count no more days.
    STOPPED = (ANSWERED, WITHDRAWN)

    @property
    def stopped(self):
        return self.state in self.STOPPED

    state: str
    age: int
    target: int
    due_on: date | None

    @property
    def label(self):
        return self.LABELS[self.state]


class IntakeRequest(models.Model):
    # Personal data: kept out of Wagtail's reference index (and its background task).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        """The team's words; the applicant reads APPLICANT_STATUS_LABELS."""

        SUBMITTED = "submitted", _("Nouvelle")
        IN_REVIEW = "in_review", _("En cours d'examen")
        AWAITING_APPLICANT = "awaiting_applicant", _("En attente de la collectivité")
        ACCEPTED = "accepted", _("Acceptée")
        IN_PROGRESS = "in_progress", _("En accompagnement")
        SUSPENDED = "suspended", _("Accompagnement suspendu")
        CLOSED = "closed", _("Clôturée")
        REDIRECTED = "redirected", _("Orientée vers un partenaire")
        DECLINED = "declined", _("Déclinée")
        DUPLICATE = "duplicate", _("Doublon")
        SPAM = "spam", _("Indésirable")
        WITHDRAWN = "withdrawn", _("Retirée")

    # What the applicant's status page says: never "spam", never the team's jargon.
    APPLICANT_STATUS_LABELS = {
        Status.SUBMITTED: _("Reçue"),
        Status.IN_REVIEW: _("En cours d'examen"),
        Status.AWAITING_APPLICANT: _("En attente de votre réponse"),
        Status.ACCEPTED: _("Acceptée"),
        Status.IN_PROGRESS: _("Accompagnement en cours"),
        Status.SUSPENDED: _("Accompagnement suspendu"),
        Status.CLOSED: _("Clôturée"),
        Status.REDIRECTED: _("Orientée vers un partenaire"),
        Status.DECLINED: _("Non retenue"),
        Status.DUPLICATE: _("Regroupée avec une autre demande"),
        Status.SPAM: _("Clôturée"),
        Status.WITHDRAWN: _("Retirée"),
    }

    # What the applicant tells about themselves and the need, as the form collects it.
    APPLICANT_FIELDS = (
        "first_name",
        "last_name",
        "function",
        "role",
        "email",
        "phone",
        "needs",
        "themes",
        "rhythm",
        "context",
        "existing_bodies",
        "first_exchange",
    )

    OPEN_STATUSES = [
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.AWAITING_APPLICANT,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.SUSPENDED,
    ]
    # The ongoing accompaniments: started, and not ended (a suspended one is still one).
    ACCOMPANIMENT_STATUSES = [Status.IN_PROGRESS, Status.SUSPENDED]
    # The team sets the accompaniment's rhythm from the acceptance on, while it lasts.
    CADENCE_STATUSES = [Status.ACCEPTED, *ACCOMPANIMENT_STATUSES]
    # The team owes the applicant a decision; the clock runs in the first two only.
    UNDECIDED_STATUSES = [Status.SUBMITTED, Status.IN_REVIEW, Status.AWAITING_APPLICANT]
    CLOCK_RUNNING_STATUSES = [Status.SUBMITTED, Status.IN_REVIEW]

    reference = models.CharField(_("référence"), max_length=16, unique=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submission_key = models.UUIDField(
        _("clé de soumission"),
        unique=True,
        editable=False,
        help_text=_("Identifie un envoi du formulaire : un double envoi ne crée qu'une demande."),
    )

    collectivite = models.ForeignKey(
        "intake.Collectivite",
        verbose_name=_("collectivité"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    collectivite_name = models.CharField(
        _("collectivité (hors référentiel)"), max_length=200, blank=True
    )
    collectivite_kind = models.CharField(
        _("type de collectivité (hors référentiel)"), max_length=30, blank=True
    )
    collectivite_departement = models.CharField(
        _("département (hors référentiel)"), max_length=3, blank=True
    )
    # The typed name, normalised as the referential's names are: finds the same body again.
    collectivite_search_name = models.CharField(
        max_length=200, blank=True, db_index=True, editable=False
    )
    # What the queue's search reads (search_document()), kept by the lifecycle's every event.
    search_text = models.TextField(blank=True, default="", editable=False)

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    function = models.CharField(_("fonction"), max_length=200)
    role = models.CharField(_("élu·e ou agent·e"), max_length=10, choices=ContactRole.choices)
    email = models.EmailField(_("courriel"))
    phone = models.CharField(_("téléphone"), max_length=20)

    needs = models.JSONField(_("besoins"), default=list)
    themes = models.ManyToManyField("home.Theme", verbose_name=_("thématiques"), blank=True)
    rhythm = models.CharField(_("rythme souhaité"), max_length=10, choices=Rhythm.choices)
    context = models.TextField(_("contexte"))
    existing_bodies = models.TextField(_("instances participatives existantes"), blank=True)
    first_exchange = models.CharField(
        _("premier échange"), max_length=10, choices=FirstExchange.choices
    )
    consent_at = models.DateTimeField(_("consentement recueilli le"))
    consent_channel = models.CharField(
        _("consentement donné"),
        max_length=10,
        choices=ConsentChannel.choices,
        default=ConsentChannel.ONLINE,
    )
    # The team member who typed the request in for the applicant (a phone call, an email).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chargé·e de la demande"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner = models.ForeignKey(
        "home.Partner",
        verbose_name=_("partenaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where the request was sent stays known when the partner is later deleted.
    partner_name = models.CharField(_("nom du partenaire"), max_length=200, blank=True)
    labels = models.ManyToManyField(
        "intake.Label", verbose_name=_("étiquettes"), blank=True, related_name="requests"
    )
    decision_note = models.TextField(_("motif de la décision"), blank=True)
    closing_summary = models.TextField(_("bilan de clôture"), blank=True)
    closing_subjects = models.JSONField(_("sujets travaillés"), default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("doublon de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    related_open_request = models.ForeignKey(
        "self",
        verbose_name=_("autre demande ouverte de la collectivité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    created_at = models.DateTimeField(_("reçue le"), default=timezone.now, db_index=True)
    taken_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)
    # The first applicant message the team has not read yet; reading the request page clears it.
    unread_since = models.DateTimeField(
        _("message non lu depuis"), null=True, blank=True, editable=False
    )

    # The response clock, in working days: it starts on reception (or reopening), pauses while
    # the request waits for the applicant and stops at the decision (decided_at).
    clock_started_on = models.DateField(_("délai compté depuis le"), null=True, blank=True)
    response_target_days = models.PositiveSmallIntegerField(
        _("délai de réponse visé (jours ouvrés)"), default=5
    )
    response_due_on = models.DateField(_("réponse attendue le"), null=True, blank=True)
    paused_on = models.DateField(_("en attente de la collectivité depuis"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(
        _("jours ouvrés d'attente de la collectivité"), default=0
    )
    # The wait (its paused_on) whose reminder went to the applicant: a new ask re-arms it.
    awaiting_reminded_for = models.DateField(
        _("relance envoyée pour l'attente du"), null=True, blank=True, editable=False
    )

    # What the reports read of the delays, in working days from the reception, the waits for
    # the applicant left out: to the team's first decision, and to the first session held
    # (None until then). The lifecycle stores them as they happen (lifecycle/delays.py).
    decision_working_days = models.PositiveSmallIntegerField(
        _("jours ouvrés jusqu'à la première décision"), null=True, blank=True, editable=False
    )
    session_working_days = models.PositiveSmallIntegerField(
        _("jours ouvrés jusqu'à la première séance tenue"), null=True, blank=True, editable=False
    )

    # The accompaniment's rhythm, chosen by the team (the applicant's wish at the acceptance),
    # and the window of its next session, which the lifecycle keeps (lifecycle/cadence.py).
    cadence = models.CharField(
        _("rythme de l'accompagnement"), max_length=10, choices=Rhythm.choices, blank=True
    )
    cadence_min_weeks = models.PositiveSmallIntegerField(
        _("prochaine séance au plus tôt (semaines après la dernière)"), default=4
    )
    cadence_max_weeks = models.PositiveSmallIntegerField(
        _("prochaine séance au plus tard (semaines après la dernière)"), default=8
    )
    started_on = models.DateField(_("accompagnement démarré le"), null=True, blank=True)
    last_session_on = models.DateField(_("dernière séance tenue le"), null=True, blank=True)
    suspended_on = models.DateField(_("accompagnement suspendu depuis le"), null=True, blank=True)
    suspended_days = models.PositiveIntegerField(
        _("jours de suspension depuis la dernière séance"), default=0
    )
    next_session_from = models.DateField(
        _("prochaine séance à planifier à partir du"), null=True, blank=True
    )
    next_session_until = models.DateField(
        _("prochaine séance au plus tard le"), null=True, blank=True
    )

    objects = IntakeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande d'accompagnement")
        verbose_name_plural = _("demandes d'accompagnement")
        permissions = [
            ("view_personal_data", _("Peut voir les données personnelles")),
            ("triage", _("Peut instruire les demandes")),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["response_due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    cadence_min_weeks__gte=1, cadence_max_weeks__gte=F("cadence_min_weeks")
                ),
                name="intake_request_cadence_window_not_empty",
                violation_error_message=_(
                    "Le délai au plus tard doit être supérieur ou égal au délai au plus tôt."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.collectivite_label}"

    @property
    def collectivite_label(self):
        return str(self.collectivite) if self.collectivite_id else self.collectivite_name

    def collectivite_with_article(self, preposition=""):
        """The collectivité as a sentence names it after `preposition`: "de la CA du Pays de
        Gex", "du Gers", "de Fresnes (Val-de-Marne)"; a name typed outside the referential
        gets the article its words call for."""
        if self.collectivite_id:
            name_type = self.collectivite.name_type
        else:
            name_type = name_type_of(self.collectivite_name)
        return with_article(self.collectivite_label, name_type, preposition)

    @property
    def collectivite_in_sentence(self):
        """ "le Gers", "la CA du Pays de Gex", "Fresnes (Val-de-Marne)"."""
        return self.collectivite_with_article()

    @property
    def de_collectivite(self):
        """ "du Gers", "de la CA du Pays de Gex", "d'Orléans (Loiret)", "des Ulis (Essonne)"."""
        return self.collectivite_with_article("de")

    @property
    def booked_appointment(self):
        """The appointment currently booked, if any (the next one first)."""
        return self.appointments.booked().order_by("starts_at").first()

    @property
    def next_appointment(self):
        """The next booked appointment, from ``for_queue()``'s prefetch."""
        return next(iter(self.booked_appointments), None)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def applicant_status_display(self):
        return self.APPLICANT_STATUS_LABELS[self.status]

    @property
    def kind_display(self):
        if self.collectivite_id:
            return self.collectivite.get_kind_display()
        if self.collectivite_kind in CollectiviteKind.values:
            return CollectiviteKind(self.collectivite_kind).label
        return ""

    @property
    def departement_display(self):
        """The département's name: the referential's, or the one of the typed code."""
        if self.collectivite_id:
            return self.collectivite.departement_name
        code = self.collectivite_departement
        return departement_names().get(code, code)

    @property
    def region_display(self):
        """The région's name: of the referential's collectivité, or of the typed département."""
        if self.collectivite_id:
            code = self.collectivite.region_code
        else:
            code = departement_regions().get(self.collectivite_departement, "")
        return region_names().get(code, "")

    def search_document(self, texts=()):
        """The normalised words the queue's search reads: the reference, the collectivité and
        its département and région, the contact, the context, and ``texts`` (the messages and
        notes of the request)."""
        parts = [
            self.reference,
            self.collectivite_label,
            self.departement_display,
            self.region_display,
            self.contact_name,
            self.email,
            self.context,
            *texts,
        ]
        return " ".join(filter(None, map(normalise, parts)))

    @property
    def need_labels(self):
        return [Need(code).label for code in self.needs if code in Need.values]

    @property
    def closing_subject_labels(self):
        return [Need(code).label for code in self.closing_subjects if code in Need.values]

    @property
    def cadence_state_label(self):
        """The state ``with_cadence()`` annotated, in words."""
        return CadenceState(self.cadence_state).label

    @property
    def is_suspended(self):
        return self.status == self.Status.SUSPENDED

    @property
    def can_book(self):
        """Whether an appointment can be booked: open, and not suspended."""
        return self.is_open and not self.is_suspended

    @property
    def partner_label(self):
        """The partner the request was sent to, by its current name, or by the name it had
        then when it is deleted."""
        return self.partner.name if self.partner_id else self.partner_name

    @property
    def contact_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def phone_display(self):
        """The stored E.164 number as its territory writes it: '02 62 40 04 04'."""
        return format_phone(self.phone)

    def start_response_clock(self, today, target_days):
        self.clock_started_on = today
        self.response_target_days = target_days
        self.paused_on = None
        self.paused_working_days = 0
        self.decided_at = None
        self.response_due_on = add_working_days(today, target_days)

    def pause_response_clock(self, today):
        self.paused_on = today

    def resume_response_clock(self, today):
        if self.paused_on is not None:
            self.paused_working_days += working_days_between(self.paused_on, today)
            self.paused_on = None
        self.response_due_on = add_working_days(
            self.clock_started_on, self.response_target_days + self.paused_working_days
        )

    def response_clock(self, today=None):
        """The age of the request in working days, paused days left out, against its target."""
        today = today or timezone.localdate()
        decided_on = timezone.localdate(self.decided_at) if self.decided_at else None
        end = decided_on or today
        started = self.clock_started_on or timezone.localdate(self.created_at)
        paused = self.paused_working_days
        if self.paused_on is not None:
            paused += working_days_between(self.paused_on, end)
        age = max(working_days_between(started, end) - paused, 0)
        due_on = self.response_due_on
        if self.status == self.Status.WITHDRAWN:
            state = ResponseClock.WITHDRAWN
        elif decided_on or self.status not in self.UNDECIDED_STATUSES:
            state = ResponseClock.ANSWERED
        elif self.paused_on is not None:
            state = ResponseClock.PAUSED
        elif due_on is None or today < due_on:
            state = ResponseClock.ON_TIME
        elif today == due_on:
            state = ResponseClock.DUE_TODAY
        else:
            state = ResponseClock.LATE
        return ResponseClock(state, age, self.response_target_days, due_on)


class AccessToken(models.Model):
    """One private link to the status page: each email gets its own, only its hash is kept."""

    wagtail_reference_index_ignore = True

    request = models.ForeignKey(
        IntakeRequest, on_delete=models.CASCADE, related_name="access_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=link_expiry, editable=False)

    class Meta:
        verbose_name = _("lien de suivi")
        verbose_name_plural = _("liens de suivi")

    def __str__(self):
        return f"{self.request_id} — {self.created_at:%Y-%m-%d}"

    @classmethod
    def issue(cls, intake_request):
        """A new random token for ``intake_request``'s status page; returns the token itself."""
        token, now = secrets.token_urlsafe(32), timezone.now()
        cls.objects.create(
            request=intake_request,
            digest=hash_token(token),
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
        return token


class RequestMessage(models.Model):
    wagtail_reference_index_ignore = True

    class Author(models.TextChoices):
        APPLICANT = "applicant", _("Collectivité")
        TEAM = "team", _("Équipe")

    request = models.ForeignKey(IntakeRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("auteur"), max_length=10, choices=Author.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.request.reference} — {self.get_author_display()}"


class InternalNote(models.Model):
    """What the team writes for itself about a request: never shown nor sent to the applicant."""

    wagtail_reference_index_ignore = True

    request = models.ForeignKey(IntakeRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("note"))
    pinned = models.BooleanField(_("épinglée"), default=False)
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")

    def __str__(self):
        return f"{self.request.reference} — {self.created_at:%Y-%m-%d}"


class SavedQueueFilterQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user)


class SavedQueueFilter(models.Model):
    """A team member's own shortcut to a search and filters of the queue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_queue_filters"
    )
    name = models.CharField(_("nom"), max_length=100)
    querystring = models.CharField(_("filtres"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SavedQueueFilterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("filtre enregistré")
        verbose_name_plural = _("filtres enregistrés")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="unique_saved_filter_name")
        ]

    def __str__(self):
        return self.name
