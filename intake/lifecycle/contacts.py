"""The team's hand on what the applicant tells about themselves: a request received by phone or
email and typed in for them, and their contact details corrected.

A request typed in goes the applicant's own way (``submission.submit``): the same reference,
response clock, slot and acknowledgement with its status link; only its audit-log entry says
who typed it and how the applicant consented.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import notifications
from ..models import AccessToken, ConsentChannel, IntakeRequest
from ..replies import team_member_name
from .base import MoveNotAllowed, MoveRefused, _locked, _log, _require_team, _required
from .submission import submit

# The details a team member may correct, in the order the audit log lists them.
CONTACT_FIELDS = ("first_name", "last_name", "function", "role", "email", "phone")
_CONSENT_WORDS = {
    ConsentChannel.ORAL: gettext_lazy("consentement oral du %(date)s"),
    ConsentChannel.WRITTEN: gettext_lazy("consentement écrit du %(date)s"),
}


def register(data, *, by, submission_key, consent_channel, consent_on, slot=None):
    """Store a request received by phone or email, on the applicant's behalf, exactly once
    per form. The applicant's consent was given ``consent_channel`` on ``consent_on``."""
    _require_team(by)
    if consent_channel not in _CONSENT_WORDS:
        raise MoveRefused(_("Indiquez comment la collectivité a donné son consentement."))
    today = timezone.localdate()
    if consent_on > today:
        raise MoveRefused(_("La date du consentement ne peut pas être dans le futur."))
    consent_at = (
        timezone.now()
        if consent_on == today
        else timezone.make_aware(datetime.datetime.combine(consent_on, datetime.time(12)))
    )
    summary = _("Demande saisie par %(agent)s (%(consent)s)") % {
        "agent": team_member_name(by),
        "consent": _CONSENT_WORDS[consent_channel]
        % {"date": formats.date_format(consent_on, "j F Y")},
    }
    return submit(
        {**data, "consent_at": consent_at, "consent_channel": consent_channel, "created_by": by},
        submission_key=submission_key,
        slot=slot,
        by=by,
        action="intake.registered",
        summary=summary,
    )


def _label(field):
    return IntakeRequest._meta.get_field(field).verbose_name


def _shown(intake_request, field):
    if field == "role":
        return str(intake_request.get_role_display())
    return getattr(intake_request, field)


def correct_contact(intake_request, *, by, first_name, last_name, function, role, email, phone):
    """Correct the applicant's name, function, role, email or phone. The audit log keeps what
    changed, before and after; a corrected email gets a fresh status link, sent to the new
    address only, and the links sent to the old one stop working."""
    details = {
        "first_name": first_name,
        "last_name": last_name,
        "function": function,
        "role": role,
        "email": email,
        "phone": phone,
    }
    with _locked(intake_request) as locked:
        _require_team(by)
        if locked.status == IntakeRequest.Status.SPAM:
            raise MoveNotAllowed(
                _("Impossible de modifier : la demande est marquée comme indésirable.")
            )
        if locked.anonymised_at is not None:
            raise MoveNotAllowed(_("Impossible de modifier : la demande est anonymisée."))
        for value in details.values():
            _required(value, _("Renseignez toutes les coordonnées du contact."))
        changed = [field for field in CONTACT_FIELDS if details[field] != getattr(locked, field)]
        if not changed:
            return locked
        before = {field: getattr(locked, field) for field in changed}
        shown_before = {field: _shown(locked, field) for field in changed}
        for field in changed:
            setattr(locked, field, details[field])
        locked.save(update_fields=changed)
        detail = "; ".join(
            f"{_label(field)} : {shown_before[field]} → {_shown(locked, field)}"
            for field in changed
        )
        _log(
            locked,
            "intake.contact_updated",
            by,
            before=before,
            after={field: getattr(locked, field) for field in changed},
            detail=detail,
        )
        if "email" in changed:
            # The old address may be a stranger's: the links it received stop working.
            AccessToken.objects.filter(request=locked, expires_at__gt=timezone.now()).update(
                expires_at=timezone.now()
            )
            notifications.email_corrected(locked)
    return locked
