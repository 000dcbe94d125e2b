"""Every move of a request, each declared once: its command, then its declaration (the
button, the statuses it goes from and to, who makes it, the words of the audit log, the email
and its default template, its form, its button's tone). The rest is read from here: the
request page's buttons and forms, the audit-log action types and their words, the reply
templates' purposes and defaults, the status graph's tests.

Adding a move: its status choice if it goes somewhere new (``models/request.py``), its command
and declaration here, its form if it asks for something new (``forms.py``), its tests.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.models import PortalSettings

from .. import attachments, forms, notifications
from ..models import AnswerChannel, IntakeRequest, RequestMessage
from . import accompaniments
from .base import (
    MoveNotAllowed,
    MoveNotPermitted,
    MoveRefused,
    _check_open,
    _locked,
    _log,
    _move,
    _reply,
    _required,
    check,
)

__all__ = [
    "LOG_ACTIONS",
    "MESSAGE",
    "MOVES",
    "TEAM_MOVES",
    "LogAction",
    "Move",
    "MoveNotAllowed",
    "MoveNotPermitted",
    "MoveRefused",
    "Reply",
    "allowed_moves",
]

Status = IntakeRequest.Status
OPEN = frozenset(IntakeRequest.OPEN_STATUSES)
TERMINAL = frozenset(Status.values) - OPEN
ACCOMPANIMENT = frozenset(IntakeRequest.ACCOMPANIMENT_STATUSES)
# Doublon and Indésirable make no sense once the accompaniment has started.
BEFORE_ACCOMPANIMENT = OPEN - ACCOMPANIMENT
UNDECIDED = frozenset(IntakeRequest.UNDECIDED_STATUSES)

_SIGNATURE = "{agent}, pour l'équipe Territoires d'engagement"
_FOLLOW = "Suivre votre demande et nous écrire : {lien_suivi}"


@dataclass(frozen=True)
class LogAction:
    label: str
    # What the applicant's timeline says, or None when the applicant never sees it.
    applicant_label: str | None


@dataclass(frozen=True)
class Reply:
    """The email a move sends: the purpose of its reply templates, and the built-in template
    (also created in the database by the migrations, and used when the team deleted them all).
    The texts are French by design: the team edits them, they are data, not interface."""

    purpose: str
    label: str  # the purpose, as the reply-template screens name it
    name: str
    subject: str
    body: str


@dataclass(frozen=True)
class Move:
    name: str  # also its audit-log action type, "intake.<name>", and its URL
    label: str  # the button, and the page title of its form
    sources: frozenset
    target: str
    log: LogAction
    command: Callable
    # What the team's form asks for; None for the applicant's own moves.
    form: type | None
    reply: Reply | None = None
    by_team: bool = True
    # Decides the request: the response clock stops.
    decides: bool = False
    # Nothing is ever sent to the applicant (spam), not even a calendar's cancellation.
    quiet: bool = False
    # The request stays open, but its booked appointments are cancelled (a suspension).
    frees_slots: bool = False
    tone: str = "primary"  # the button's look: "primary" or "secondary"

    @property
    def ends(self):
        """The request ends: its booked appointments are cancelled."""
        return self.target not in OPEN

    @property
    def cancels_appointments(self):
        return self.ends or self.frees_slots


# Take


def take(intake_request, *, by, message=None, subject=None):
    """Take the request in charge: it is under review, and ``by`` follows it."""
    with _locked(intake_request) as locked:
        check(TAKE, locked, by)
        locked.assignee, locked.taken_at = by, timezone.now()
        _move(locked, TAKE, by)
        _reply(locked, by, TAKE.reply, message, subject)
    return locked


TAKE = Move(
    name="take",
    label=gettext_lazy("Prendre en charge"),
    sources=frozenset({Status.SUBMITTED}),
    target=Status.IN_REVIEW,
    log=LogAction(
        gettext_lazy("Demande prise en charge"),
        gettext_lazy("Demande prise en charge par l'équipe"),
    ),
    command=take,
    form=forms.ReplyForm,
    reply=Reply(
        purpose="take",
        label=gettext_lazy("Prise en charge"),
        name="Prise en charge",
        subject="Votre demande {reference} est prise en charge",
        body=(
            "Bonjour {contact},\n\n"
            "Votre demande d'accompagnement pour {collectivite} est désormais suivie par "
            "{agent}, de l'équipe Territoires d'engagement. Nous revenons vers vous très "
            f"vite.\n\n{_FOLLOW}\n\nL'équipe Territoires d'engagement"
        ),
    ),
)


# Ask


def ask(intake_request, *, by, message, subject=None):
    """Ask the applicant for information: the request waits and its response clock pauses."""
    with _locked(intake_request) as locked:
        check(ASK, locked, by)
        _required(message, _("Écrivez la question posée à la collectivité."))
        locked.pause_response_clock(timezone.localdate())
        _move(locked, ASK, by)
        _reply(locked, by, ASK.reply, message, subject)
    return locked


ASK = Move(
    name="ask",
    label=gettext_lazy("Demander des précisions"),
    sources=frozenset({Status.SUBMITTED, Status.IN_REVIEW}),
    target=Status.AWAITING_APPLICANT,
    log=LogAction(
        gettext_lazy("Précisions demandées"),
        gettext_lazy("L'équipe vous a demandé des précisions"),
    ),
    command=ask,
    form=forms.AskForm,
    reply=Reply(
        purpose="ask",
        label=gettext_lazy("Demande de précisions"),
        name="Demande de précisions",
        subject="Une question sur votre demande {reference}",
        body=(
            "Bonjour {contact},\n\n"
            "Pour bien préparer l'accompagnement {de_collectivite}, nous avons besoin d'une "
            "précision : […]\n\n"
            "Vous pouvez nous répondre depuis votre page de suivi : {lien_suivi}\n\n"
            f"{_SIGNATURE}"
        ),
    ),
)


# The applicant's answer, from the status page


def applicant_writes(intake_request, *, body, files=()):
    """The applicant's message (from the status page or by email) reaches the team, with its
    files, and answers a question the team asked."""
    with _locked(intake_request) as locked:
        _check_open(locked)
        message = RequestMessage.objects.create(
            request=locked,
            author=RequestMessage.Author.APPLICANT,
            body=_required(body, _("Écrivez votre message.")),
        )
        if files:
            attachments.store(message, list(files))
        already_unread = locked.unread_since is not None
        if not already_unread:
            locked.unread_since = message.created_at
            locked.save(update_fields=["unread_since"])
        _log(locked, "intake.message_received", message=message.pk)
        if locked.status == Status.AWAITING_APPLICANT:
            locked.resume_response_clock(timezone.localdate())
            _move(locked, REPLY, None)
        notifications.applicant_wrote(message, already_unread=already_unread)
    return message


REPLY = Move(
    name="reply",
    label=gettext_lazy("Réponse de la collectivité"),
    sources=frozenset({Status.AWAITING_APPLICANT}),
    target=Status.IN_REVIEW,
    log=LogAction(
        gettext_lazy("Réponse de la collectivité"), gettext_lazy("Vous avez répondu à l'équipe")
    ),
    command=applicant_writes,
    form=None,
    by_team=False,
)


# Resume: the applicant answered by email or by phone


def resume(intake_request, *, by, channel, note):
    """The applicant answered otherwise than on the status page: the review resumes, and the
    thread says how the answer came and what it said."""
    with _locked(intake_request) as locked:
        check(RESUME, locked, by)
        if channel not in AnswerChannel.values:
            raise MoveRefused(_("Indiquez comment la collectivité a répondu."))
        note = _required(note, _("Résumez la réponse de la collectivité."))
        locked.resume_response_clock(timezone.localdate())
        how = AnswerChannel(channel).label
        detail = _("Réponse %(how)s : %(note)s") % {"how": how[0].lower() + how[1:], "note": note}
        _move(locked, RESUME, by, channel=channel, detail=detail)
    return locked


RESUME = Move(
    name="resume",
    label=gettext_lazy("Reprendre l'examen"),
    sources=frozenset({Status.AWAITING_APPLICANT}),
    target=Status.IN_REVIEW,
    log=LogAction(gettext_lazy("Examen repris"), gettext_lazy("Votre réponse est prise en compte")),
    command=resume,
    form=forms.ResumeForm,
)


# Accept


def accept(intake_request, *, by, message=None, subject=None):
    """Accept the request; its accompaniment's rhythm starts as the applicant wished it."""
    with _locked(intake_request) as locked:
        check(ACCEPT, locked, by)
        accompaniments.accepted(locked)
        _move(locked, ACCEPT, by)
        _reply(locked, by, ACCEPT.reply, message, subject)
    return locked


ACCEPT = Move(
    name="accept",
    label=gettext_lazy("Accepter"),
    sources=UNDECIDED,
    target=Status.ACCEPTED,
    log=LogAction(gettext_lazy("Demande acceptée"), gettext_lazy("Demande acceptée")),
    command=accept,
    form=forms.ReplyForm,
    reply=Reply(
        purpose="accept",
        label=gettext_lazy("Acceptation"),
        name="Acceptation",
        subject="Votre demande {reference} est acceptée",
        body=(
            "Bonjour {contact},\n\n"
            "Bonne nouvelle : la cellule de conseil et d'orientation accompagnera "
            "{collectivite}. Rendez-vous : {rendez_vous}.\n\n"
            "Nous vous enverrons le lien de la visioconférence avant l'échange.\n\n"
            f"{_FOLLOW}\n\n{_SIGNATURE}"
        ),
    ),
    decides=True,
)


# Start


def start(intake_request, *, by):
    """Start the accompaniment by hand (the first session held starts it too): its first
    session is to plan from today."""
    with _locked(intake_request) as locked:
        check(START, locked, by)
        accompaniments.started(locked, timezone.localdate())
        _move(locked, START, by)
    return locked


START = Move(
    name="start",
    label=gettext_lazy("Démarrer l'accompagnement"),
    sources=frozenset({Status.ACCEPTED}),
    target=Status.IN_PROGRESS,
    log=LogAction(gettext_lazy("Accompagnement démarré"), gettext_lazy("Accompagnement démarré")),
    command=start,
    form=forms.ConfirmMoveForm,
)


# Suspend: the collectivité pauses (elections, a budget cycle)


def suspend(intake_request, *, by, reason, message=None, subject=None):
    """The accompaniment pauses: its cadence's clock stops, its booked sessions are cancelled
    and none can be booked until it resumes."""
    with _locked(intake_request) as locked:
        check(SUSPEND, locked, by)
        reason = _required(reason, _("Indiquez pourquoi l'accompagnement est suspendu."))
        accompaniments.suspended(locked, timezone.localdate())
        _move(locked, SUSPEND, by, detail=reason)
        _reply(locked, by, SUSPEND.reply, message, subject)
    return locked


SUSPEND = Move(
    name="suspend",
    label=gettext_lazy("Suspendre l'accompagnement"),
    sources=frozenset({Status.IN_PROGRESS}),
    target=Status.SUSPENDED,
    log=LogAction(gettext_lazy("Accompagnement suspendu"), gettext_lazy("Accompagnement suspendu")),
    command=suspend,
    form=forms.SuspendForm,
    reply=Reply(
        purpose="suspend",
        label=gettext_lazy("Suspension de l'accompagnement"),
        name="Suspension de l'accompagnement",
        subject="Votre accompagnement est suspendu — demande {reference}",
        body=(
            "Bonjour {contact},\n\n"
            "Comme convenu, nous suspendons l'accompagnement {de_collectivite} : aucune séance "
            "n'est prévue d'ici sa reprise. Écrivez-nous quand vous souhaitez reprendre.\n\n"
            f"{_FOLLOW}\n\n{_SIGNATURE}"
        ),
    ),
    frees_slots=True,
    tone="secondary",
)


# Resume the accompaniment


def resume_accompaniment(intake_request, *, by):
    """The accompaniment resumes: the days it was suspended push its due window back."""
    with _locked(intake_request) as locked:
        check(RESUME_ACCOMPANIMENT, locked, by)
        accompaniments.resumed(locked, timezone.localdate())
        _move(locked, RESUME_ACCOMPANIMENT, by)
    return locked


RESUME_ACCOMPANIMENT = Move(
    name="resume_accompaniment",
    label=gettext_lazy("Reprendre l'accompagnement"),
    sources=frozenset({Status.SUSPENDED}),
    target=Status.IN_PROGRESS,
    log=LogAction(gettext_lazy("Accompagnement repris"), gettext_lazy("Accompagnement repris")),
    command=resume_accompaniment,
    form=forms.ConfirmMoveForm,
)


# Close


def close(intake_request, *, by, summary, subjects, message=None, subject=None):
    """End the accompaniment with its bilan: what was achieved, on which of the five subjects
    of the offer."""
    with _locked(intake_request) as locked:
        check(CLOSE, locked, by)
        locked.closing_summary = _required(summary, _("Rédigez le bilan de l'accompagnement."))
        locked.closing_subjects = accompaniments.check_subjects(subjects)
        _move(locked, CLOSE, by, detail=locked.closing_summary)
        _reply(locked, by, CLOSE.reply, message, subject)
    return locked


CLOSE = Move(
    name="close",
    label=gettext_lazy("Clôturer"),
    sources=ACCOMPANIMENT,
    target=Status.CLOSED,
    log=LogAction(gettext_lazy("Demande clôturée"), gettext_lazy("Accompagnement terminé")),
    command=close,
    form=forms.CloseForm,
    reply=Reply(
        purpose="close",
        label=gettext_lazy("Clôture"),
        name="Clôture",
        subject="Fin de l'accompagnement — demande {reference}",
        body=(
            "Bonjour {contact},\n\n"
            "L'accompagnement {de_collectivite} par la cellule de conseil et d'orientation "
            "s'achève. Merci pour ces échanges ; nous restons disponibles si vous avez besoin "
            f"de nous à l'avenir.\n\n{_SIGNATURE}"
        ),
    ),
)


# Redirect


def redirect(intake_request, *, by, partner, message, subject=None):
    """Send the applicant to a partner better placed to help; the request ends here."""
    with _locked(intake_request) as locked:
        check(REDIRECT, locked, by)
        if partner is None:
            raise MoveRefused(_("Choisissez le partenaire vers lequel orienter la demande."))
        _required(message, _("Écrivez le message qui présente le partenaire à la collectivité."))
        locked.partner, locked.partner_name = partner, partner.name
        _move(locked, REDIRECT, by, partner=partner.pk, detail=partner.name)
        _reply(locked, by, REDIRECT.reply, message, subject, partner=partner)
    return locked


REDIRECT = Move(
    name="redirect",
    label=gettext_lazy("Orienter vers un partenaire"),
    sources=UNDECIDED,
    target=Status.REDIRECTED,
    log=LogAction(
        gettext_lazy("Orientée vers un partenaire"),
        gettext_lazy("Demande orientée vers un partenaire"),
    ),
    command=redirect,
    form=forms.RedirectForm,
    reply=Reply(
        purpose="redirect",
        label=gettext_lazy("Orientation vers un partenaire"),
        name="Orientation vers un partenaire",
        subject="Votre demande {reference} : un partenaire pour vous accompagner",
        body=(
            "Bonjour {contact},\n\n"
            "Après examen, nous vous orientons vers {partenaire}, dont l'offre répond le mieux "
            "aux besoins {de_collectivite} sur ce sujet. Ses coordonnées figurent sous ce "
            "message : n'hésitez pas à prendre contact de notre part."
            f"\n\n{_FOLLOW}\n\n{_SIGNATURE}"
        ),
    ),
    decides=True,
)


# Decline


def decline(intake_request, *, by, reason, message=None, subject=None):
    with _locked(intake_request) as locked:
        check(DECLINE, locked, by)
        locked.decision_note = _required(reason, _("Indiquez le motif du refus."))
        _move(locked, DECLINE, by, detail=locked.decision_note)
        _reply(locked, by, DECLINE.reply, message, subject)
    return locked


DECLINE = Move(
    name="decline",
    label=gettext_lazy("Décliner"),
    sources=UNDECIDED,
    target=Status.DECLINED,
    log=LogAction(gettext_lazy("Demande déclinée"), gettext_lazy("Demande non retenue")),
    command=decline,
    form=forms.DeclineForm,
    reply=Reply(
        purpose="decline",
        label=gettext_lazy("Refus"),
        name="Refus",
        subject="Votre demande {reference}",
        body=(
            "Bonjour {contact},\n\n"
            "Nous avons étudié avec attention la demande {de_collectivite}. Nous ne sommes "
            "malheureusement pas en mesure de l'accompagner : […]\n\n"
            f"N'hésitez pas à revenir vers nous si votre projet évolue.\n\n{_SIGNATURE}"
        ),
    ),
    decides=True,
    tone="secondary",
)


# Duplicate


def mark_duplicate(intake_request, *, by, original, message=None, subject=None):
    """The request repeats ``original``: it ends, linked to it, and the original records it."""
    with _locked(intake_request) as locked:
        check(DUPLICATE, locked, by)
        if original is None:
            raise MoveRefused(_("Indiquez la demande d'origine."))
        original = IntakeRequest.objects.get(pk=original.pk)  # as it stands now
        if original.pk == locked.pk:
            raise MoveRefused(_("Une demande ne peut pas être le doublon d'elle-même."))
        if original.duplicate_of_id:
            raise MoveRefused(
                _("%(original)s est elle-même un doublon : choisissez la demande d'origine.")
                % {"original": original.reference}
            )
        locked.duplicate_of = original
        _move(locked, DUPLICATE, by, original=original.pk, detail=original.reference)
        _log(original, "intake.duplicate_linked", by, duplicate=locked.pk, detail=locked.reference)
        _reply(locked, by, DUPLICATE.reply, message, subject)
    return locked


DUPLICATE = Move(
    name="duplicate",
    label=gettext_lazy("Marquer comme doublon"),
    sources=BEFORE_ACCOMPANIMENT,
    target=Status.DUPLICATE,
    log=LogAction(
        gettext_lazy("Marquée comme doublon"),
        gettext_lazy("Demande regroupée avec une autre demande"),
    ),
    command=mark_duplicate,
    form=forms.DuplicateForm,
    reply=Reply(
        purpose="duplicate",
        label=gettext_lazy("Doublon"),
        name="Doublon",
        subject="Votre demande {reference} rejoint une demande en cours",
        body=(
            "Bonjour {contact},\n\n"
            "{collectivite} nous a déjà adressé une demande que nous suivons : nous "
            "regroupons les deux pour vous répondre d'une seule voix.\n\n"
            f"{_SIGNATURE}"
        ),
    ),
    decides=True,
    tone="secondary",
)


# Spam


def mark_spam(intake_request, *, by):
    """Not a real request: it ends, its slot is freed, and nobody is emailed."""
    with _locked(intake_request) as locked:
        _move(locked, SPAM, by)
    return locked


SPAM = Move(
    name="spam",
    label=gettext_lazy("Marquer comme indésirable"),
    sources=BEFORE_ACCOMPANIMENT,
    target=Status.SPAM,
    # The applicant's words never say "indésirable".
    log=LogAction(gettext_lazy("Marquée comme indésirable"), gettext_lazy("Demande clôturée")),
    command=mark_spam,
    form=forms.SpamForm,
    decides=True,
    quiet=True,
    tone="secondary",
)


# Withdraw: the applicant's, from the status page (or recorded by the team)


def withdraw(intake_request, *, by=None):
    with _locked(intake_request) as locked:
        _move(locked, WITHDRAW, by)
        _reply(locked, by, WITHDRAW.reply, None, None)
        notifications.applicant_withdrew(locked)
    return locked


WITHDRAW = Move(
    name="withdraw",
    label=gettext_lazy("Retrait par la collectivité"),
    sources=OPEN,
    target=Status.WITHDRAWN,
    log=LogAction(gettext_lazy("Retirée par la collectivité"), gettext_lazy("Demande retirée")),
    command=withdraw,
    form=None,
    reply=Reply(
        purpose="withdraw",
        label=gettext_lazy("Retrait par la collectivité"),
        name="Retrait par la collectivité",
        subject="Votre demande {reference} est retirée",
        body=(
            "Bonjour {contact},\n\n"
            "Nous avons bien noté le retrait de la demande {de_collectivite}. Vous pouvez en "
            "déposer une nouvelle à tout moment.\n\n"
            "L'équipe Territoires d'engagement"
        ),
    ),
    by_team=False,
    decides=True,
)


# Reopen


def reopen(intake_request, *, by, reason, message=None, subject=None):
    """Bring an ended request back to review; its response clock starts again."""
    with _locked(intake_request) as locked:
        check(REOPEN, locked, by)
        reason = _required(reason, _("Indiquez pourquoi la demande est rouverte."))
        was_spam = locked.status == Status.SPAM
        locked.start_response_clock(timezone.localdate(), PortalSettings.load().response_delay_days)
        _move(locked, REOPEN, by, detail=reason)
        if not was_spam:
            _reply(locked, by, REOPEN.reply, message, subject)
    return locked


REOPEN = Move(
    name="reopen",
    label=gettext_lazy("Rouvrir"),
    sources=TERMINAL,
    target=Status.IN_REVIEW,
    log=LogAction(gettext_lazy("Demande rouverte"), gettext_lazy("Demande rouverte")),
    command=reopen,
    form=forms.ReopenForm,
    reply=Reply(
        purpose="reopen",
        label=gettext_lazy("Réouverture"),
        name="Réouverture",
        subject="Votre demande {reference} est rouverte",
        body=(
            "Bonjour {contact},\n\n"
            "Nous rouvrons la demande {de_collectivite} et revenons vers vous très vite.\n\n"
            f"{_FOLLOW}\n\n{_SIGNATURE}"
        ),
    ),
)


# The team's free message: not a move, but a reply template's purpose like theirs.
MESSAGE = Reply(
    purpose="message",
    label=gettext_lazy("Message libre"),
    name="Message libre",
    subject="Message de l'équipe Territoires d'engagement — demande {reference}",
    body=f"Bonjour {{contact}},\n\n[…]\n\n{_SIGNATURE}\n\n{_FOLLOW}",
)

# Every move, in the order of the request page's buttons.
MOVES = {
    move.name: move
    for move in (
        TAKE,
        RESUME,
        ASK,
        ACCEPT,
        START,
        SUSPEND,
        RESUME_ACCOMPANIMENT,
        CLOSE,
        REDIRECT,
        DECLINE,
        DUPLICATE,
        SPAM,
        REPLY,
        WITHDRAW,
        REOPEN,
    )
}
TEAM_MOVES = [move for move in MOVES.values() if move.by_team]
# The reply templates' purposes, in the order of the reply-template screens.
REPLIES = [move.reply for move in MOVES.values() if move.reply] + [MESSAGE]

# Every event of a request, by audit-log action type (registered in wagtail_hooks.py): the
# team's words in the thread and the site history, the applicant's on the status page.
LOG_ACTIONS = {
    "intake.submitted": LogAction(gettext_lazy("Demande reçue"), gettext_lazy("Demande reçue")),
    "intake.registered": LogAction(
        gettext_lazy("Demande saisie par l'équipe"),
        gettext_lazy("Demande enregistrée par l'équipe"),
    ),
    "intake.contact_updated": LogAction(
        gettext_lazy("Coordonnées mises à jour"), gettext_lazy("Coordonnées mises à jour")
    ),
    **{f"intake.{move.name}": move.log for move in MOVES.values()},
    "intake.assigned": LogAction(gettext_lazy("Chargé·e de la demande modifié·e"), None),
    "intake.labels_changed": LogAction(gettext_lazy("Étiquettes modifiées"), None),
    "intake.note_added": LogAction(gettext_lazy("Note interne ajoutée"), None),
    "intake.note_pinned": LogAction(gettext_lazy("Note interne épinglée ou détachée"), None),
    "intake.duplicate_linked": LogAction(gettext_lazy("Doublon rattaché à cette demande"), None),
    "intake.message_sent": LogAction(gettext_lazy("Message envoyé à la collectivité"), None),
    "intake.message_received": LogAction(gettext_lazy("Message de la collectivité"), None),
    "intake.email_retried": LogAction(gettext_lazy("Courriel en échec renvoyé"), None),
    "intake.awaiting_reminded": LogAction(
        gettext_lazy("Relance automatique envoyée à la collectivité"), None
    ),
    "intake.link_resent": LogAction(
        gettext_lazy("Lien de suivi renvoyé"), gettext_lazy("Lien de suivi renvoyé")
    ),
    "intake.appointment_booked": LogAction(
        gettext_lazy("Rendez-vous pris"), gettext_lazy("Rendez-vous pris")
    ),
    "intake.appointment_rescheduled": LogAction(
        gettext_lazy("Rendez-vous déplacé"), gettext_lazy("Rendez-vous déplacé")
    ),
    "intake.appointment_cancelled": LogAction(
        gettext_lazy("Rendez-vous annulé"), gettext_lazy("Rendez-vous annulé")
    ),
    "intake.appointment_confirmed": LogAction(
        gettext_lazy("Rendez-vous confirmé"), gettext_lazy("Rendez-vous confirmé")
    ),
    "intake.appointment_link_changed": LogAction(
        gettext_lazy("Lien de la visioconférence changé"),
        gettext_lazy("Lien de la visioconférence changé"),
    ),
    "intake.appointment_held": LogAction(
        gettext_lazy("Rendez-vous tenu"), gettext_lazy("Rendez-vous tenu")
    ),
    "intake.appointment_no_show": LogAction(
        gettext_lazy("Absence au rendez-vous"), gettext_lazy("Rendez-vous manqué")
    ),
    "intake.session_recorded": LogAction(gettext_lazy("Compte rendu de séance enregistré"), None),
    "intake.cadence_changed": LogAction(gettext_lazy("Rythme de l'accompagnement modifié"), None),
    "intake.satisfaction_answered": LogAction(
        gettext_lazy("Avis de la collectivité sur l'accompagnement"),
        gettext_lazy("Vous avez donné votre avis sur l'accompagnement"),
    ),
    "intake.action_done": LogAction(
        gettext_lazy("Action faite par la collectivité"), gettext_lazy("Action faite")
    ),
    "intake.anonymised": LogAction(gettext_lazy("Demande anonymisée"), None),
    "intake.data_exported": LogAction(gettext_lazy("Données de la personne exportées"), None),
}


def decision_actions():
    """The audit-log actions of the team's moves that decide a request (a withdrawal is the
    applicant's, not a decision)."""
    return {f"intake.{move.name}" for move in MOVES.values() if move.decides and move.by_team}


def allowed_moves(intake_request):
    """The team's moves that apply to the request in its current status."""
    return [move for move in TEAM_MOVES if intake_request.status in move.sources]
