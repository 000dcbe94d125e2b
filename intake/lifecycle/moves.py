"""The status graph of a request: which move goes from which statuses to which, who may make
it, and the audit-log action types every event of a request is recorded with.

Adding a move: its row here (MOVES, and its LOG_ACTIONS line), its command in ``commands.py``
(and MOVE_COMMANDS for a team move), its form in the back office, its reply template's purpose
and default text, its tests: the transition-table test then covers it from every status.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..errors import DomainError
from ..models import TRIAGE_PERMISSION, IntakeRequest

Status = IntakeRequest.Status
OPEN = frozenset(IntakeRequest.OPEN_STATUSES)
TERMINAL = frozenset(Status.values) - OPEN


class LifecycleError(DomainError):
    """A request event the domain refuses."""


class MoveNotAllowed(LifecycleError):
    """The move does not apply to the request in its current status."""


class MoveNotPermitted(LifecycleError):
    default_message = _("Vous n'avez pas l'autorisation d'instruire les demandes.")


class MoveRefused(LifecycleError):
    """A guard refused the move (a missing reason, a wrong original…)."""


@dataclass(frozen=True)
class Move:
    label: str
    sources: frozenset
    target: str
    by_team: bool = True
    # Decides the request: the response clock stops.
    decides: bool = False
    # The request ends without accompaniment: its booked slots are freed.
    frees_slots: bool = False


MOVES = {
    "take": Move(_("Prendre en charge"), frozenset({Status.SUBMITTED}), Status.IN_REVIEW),
    "ask": Move(
        _("Demander des précisions"),
        frozenset({Status.SUBMITTED, Status.IN_REVIEW}),
        Status.AWAITING_APPLICANT,
    ),
    "reply": Move(
        _("Réponse de la collectivité"),
        frozenset({Status.AWAITING_APPLICANT}),
        Status.IN_REVIEW,
        by_team=False,
    ),
    "accept": Move(
        _("Accepter"),
        frozenset({Status.SUBMITTED, Status.IN_REVIEW}),
        Status.ACCEPTED,
        decides=True,
    ),
    "start": Move(
        _("Démarrer l'accompagnement"),
        frozenset({Status.ACCEPTED}),
        Status.IN_PROGRESS,
    ),
    "close": Move(_("Clôturer"), frozenset({Status.IN_PROGRESS}), Status.CLOSED),
    "redirect": Move(
        _("Orienter vers un partenaire"),
        frozenset({Status.SUBMITTED, Status.IN_REVIEW}),
        Status.REDIRECTED,
        decides=True,
        frees_slots=True,
    ),
    "decline": Move(
        _("Décliner"),
        frozenset({Status.SUBMITTED, Status.IN_REVIEW}),
        Status.DECLINED,
        decides=True,
        frees_slots=True,
    ),
    "duplicate": Move(
        _("Marquer comme doublon"), OPEN, Status.DUPLICATE, decides=True, frees_slots=True
    ),
    "spam": Move(_("Marquer comme indésirable"), OPEN, Status.SPAM, decides=True, frees_slots=True),
    "withdraw": Move(
        _("Retrait par la collectivité"),
        OPEN,
        Status.WITHDRAWN,
        by_team=False,
        decides=True,
        frees_slots=True,
    ),
    "reopen": Move(_("Rouvrir"), TERMINAL, Status.IN_REVIEW),
}

# The moves the team chooses on a request page, in the order of its buttons.
TEAM_MOVES = [name for name, move in MOVES.items() if move.by_team]


@dataclass(frozen=True)
class LogAction:
    label: str
    # What the applicant's timeline says, or None when the applicant never sees it.
    applicant_label: str | None


# Every event of a request, by audit-log action type (registered in wagtail_hooks.py): the
# team's words in the thread and the site history, the applicant's on the status page.
LOG_ACTIONS = {
    "intake.submitted": LogAction(_("Demande reçue"), _("Demande reçue")),
    "intake.take": LogAction(
        _("Demande prise en charge"), _("Demande prise en charge par l'équipe")
    ),
    "intake.ask": LogAction(_("Précisions demandées"), _("L'équipe vous a demandé des précisions")),
    "intake.reply": LogAction(_("Réponse de la collectivité"), _("Vous avez répondu à l'équipe")),
    "intake.accept": LogAction(_("Demande acceptée"), _("Demande acceptée")),
    "intake.start": LogAction(_("Accompagnement démarré"), _("Accompagnement démarré")),
    "intake.close": LogAction(_("Demande clôturée"), _("Accompagnement terminé")),
    "intake.redirect": LogAction(
        _("Orientée vers un partenaire"), _("Demande orientée vers un partenaire")
    ),
    "intake.decline": LogAction(_("Demande déclinée"), _("Demande non retenue")),
    "intake.duplicate": LogAction(
        _("Marquée comme doublon"), _("Demande regroupée avec une autre demande")
    ),
    "intake.spam": LogAction(_("Marquée comme indésirable"), _("Demande clôturée")),
    "intake.withdraw": LogAction(_("Retirée par la collectivité"), _("Demande retirée")),
    "intake.reopen": LogAction(_("Demande rouverte"), _("Demande rouverte")),
    "intake.assigned": LogAction(_("Chargé·e de la demande modifié·e"), None),
    "intake.labels_changed": LogAction(_("Étiquettes modifiées"), None),
    "intake.note_added": LogAction(_("Note interne ajoutée"), None),
    "intake.note_pinned": LogAction(_("Note interne épinglée ou détachée"), None),
    "intake.duplicate_linked": LogAction(_("Doublon rattaché à cette demande"), None),
    "intake.message_sent": LogAction(_("Message envoyé à la collectivité"), None),
    "intake.message_received": LogAction(_("Message de la collectivité"), None),
    "intake.link_resent": LogAction(_("Lien de suivi renvoyé"), _("Lien de suivi renvoyé")),
    "intake.appointment_booked": LogAction(_("Rendez-vous pris"), _("Rendez-vous pris")),
    "intake.appointment_rescheduled": LogAction(_("Rendez-vous déplacé"), _("Rendez-vous déplacé")),
    "intake.appointment_cancelled": LogAction(_("Rendez-vous annulé"), _("Rendez-vous annulé")),
    "intake.appointment_confirmed": LogAction(_("Rendez-vous confirmé"), _("Rendez-vous confirmé")),
    "intake.appointment_link_changed": LogAction(
        _("Lien de la visioconférence changé"), _("Lien de la visioconférence changé")
    ),
    "intake.appointment_held": LogAction(_("Rendez-vous tenu"), _("Rendez-vous tenu")),
    "intake.appointment_no_show": LogAction(_("Absence au rendez-vous"), _("Rendez-vous manqué")),
}


def allowed_moves(request):
    """The team's moves that apply to the request in its current status."""
    return [name for name in TEAM_MOVES if request.status in MOVES[name].sources]


def check(move_name, request, by):
    """Raise unless ``by`` (a team member, or None for the applicant) may make the move now."""
    move = MOVES[move_name]
    # The team may record an applicant's move (a withdrawal by phone), never the reverse.
    if (move.by_team or by is not None) and (by is None or not by.has_perm(TRIAGE_PERMISSION)):
        raise MoveNotPermitted()
    if request.status not in move.sources:
        raise MoveNotAllowed(
            _("« %(move)s » n'est pas possible : la demande est « %(status)s ».")
            % {"move": move.label, "status": request.get_status_display()}
        )
    return move
