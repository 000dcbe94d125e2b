"""Emails from the team's mailbox: each received once, then either an applicant's message in
its request's thread (as if written on the status page) or a line of "À trier", which the team
attaches to a request or discards.

A message lands in a thread only through a valid reply token (see ``inbound``): a reference
quoted in the subject, a sender's address, are never enough. Refused messages (too large,
automatic, for an ended request, with a refused file) stay in "À trier" with their raw bytes:
nothing is lost.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from .. import attachments, inbound
from ..errors import DomainError
from ..models import InboundEmail, IntakeRequest
from .commands import _require_team, applicant_writes
from .moves import MoveRefused

Status = InboundEmail.Status
# What a malformed message can raise from the standard library's parser.
_UNREADABLE = (ValueError, LookupError, TypeError, AttributeError, IndexError)

# The audit-log action types of a received email (registered in wagtail_hooks.py).
LOG_ACTIONS = {
    "intake.email_imported": gettext_lazy("Courriel versé au fil de la demande"),
    "intake.email_attached": gettext_lazy("Courriel rattaché à une demande par l'équipe"),
    "intake.email_discarded": gettext_lazy("Courriel écarté"),
}


def _claim(*, folder, uid_validity, uid, size, raw, received):
    """The row of this message, created now; None when another run already has it."""
    try:
        with transaction.atomic():
            email = InboundEmail.objects.create(
                folder=folder,
                uid_validity=uid_validity,
                uid=uid,
                size=size,
                sender=received.sender[:320],
                subject=received.subject[:998],
                message_id_header=received.message_id[:998],
                received_at=received.received_at,
            )
    except IntegrityError:
        return None
    email.raw.save(f"{uid_validity}-{uid}.eml", ContentFile(raw), save=True)
    return email


def _sort(email, note, intake_request=None):
    email.status, email.note, email.request = Status.TO_SORT, note, intake_request
    email.save(update_fields=["status", "note", "request"])
    return email


def _matched_request(received):
    """The request the email's valid tokens name, or (None, why) when none or several do."""
    pks = {inbound.request_pk_of(token) for token in received.tokens}
    valid = pks - {None}
    if len(valid) == 1:
        intake_request = IntakeRequest.objects.filter(pk=valid.pop()).first()
        if intake_request is not None:
            return intake_request, ""
    if len(valid) > 1:
        return None, _("Le courriel désigne plusieurs demandes.")
    if received.tokens:
        return None, _("L'adresse de réponse ne correspond à aucune demande.")
    return None, _("Aucune adresse de réponse d'une demande : à rattacher à la main.")


def _import(email, intake_request, received, *, by=None):
    """The email's text and files as the applicant's message (the request is released if it
    waited for them); DomainError leaves nothing written."""
    body = received.text
    if not body and received.files:
        body = _("(Pièces jointes envoyées par courriel, sans texte.)")
    if not body:
        raise MoveRefused(_("Le courriel ne contient aucun texte."))
    message = applicant_writes(intake_request, body=body, files=received.files)
    email.status, email.request, email.message, email.note = (
        Status.IMPORTED,
        intake_request,
        message,
        "",
    )
    email.handled_by, email.handled_at = by, timezone.now()
    email.save()
    action = "intake.email_attached" if by else "intake.email_imported"
    log(
        email,
        action,
        user=by,
        data={"request": intake_request.pk, "detail": intake_request.reference},
    )
    return message


def receive(*, folder, uid_validity, uid, size, raw):
    """Store the message ``uid`` of ``folder`` once, and land it in its request's thread or in
    "À trier". ``raw`` is the whole message, or only its headers when ``size`` exceeds
    INBOUND_EMAIL_MAX_BYTES. Returns the email, or None when it was received before."""
    limit = settings.INBOUND_EMAIL_MAX_BYTES
    too_large = size > limit
    with transaction.atomic():
        try:
            received = inbound.headers_only(inbound.parse(raw)) if too_large else inbound.read(raw)
        except _UNREADABLE:
            received = inbound.ReceivedEmail("", "", "", timezone.now(), [], False)
            unreadable = True
        else:
            unreadable = False
        email = _claim(
            folder=folder,
            uid_validity=uid_validity,
            uid=uid,
            size=size,
            raw=raw,
            received=received,
        )
        if email is None:
            return None
        if too_large:
            note = _(
                "Courriel de %(size)s, au-delà de la limite de %(limit)s : il n'est pas versé "
                "à une demande et reste en entier dans la boîte aux lettres (dossier "
                "« %(folder)s »), seuls ses en-têtes sont conservés ici."
            ) % {"size": filesizeformat(size), "limit": filesizeformat(limit), "folder": folder}
            return _sort(email, note)
        if unreadable:
            return _sort(email, _("Courriel illisible : ouvrez-le dans la boîte aux lettres."))
        if received.automatic:
            return _sort(email, _("Réponse automatique (absence, erreur de distribution…)."))
        intake_request, why = _matched_request(received)
        if intake_request is None:
            return _sort(email, why)
        try:
            _import(email, intake_request, received)
        except DomainError as refusal:
            return _sort(email, str(refusal), intake_request)
    return email


def _locked_email(email):
    return InboundEmail.objects.select_for_update().get(pk=email.pk)


def attach(email, *, by, intake_request):
    """The team files an email of "À trier" into ``intake_request``'s thread, as the applicant's
    message."""
    _require_team(by)
    with transaction.atomic():
        locked = _locked_email(email)
        if locked.status != Status.TO_SORT:
            raise MoveRefused(_("Ce courriel a déjà été traité."))
        with locked.raw.open("rb") as raw_file:
            raw = raw_file.read()
        if locked.size > settings.INBOUND_EMAIL_MAX_BYTES:
            raise MoveRefused(
                _(
                    "Ce courriel dépasse la limite de taille : transférez ses éléments utiles "
                    "depuis la boîte aux lettres."
                )
            )
        try:
            received = inbound.read(raw)
        except _UNREADABLE as error:
            raise MoveRefused(
                _("Courriel illisible : transférez son contenu depuis la boîte aux lettres.")
            ) from error
        received.files, refused = _acceptable(received.files)
        message = _import(locked, intake_request, received, by=by)
        if refused:
            locked.note = _("Pièces jointes non reprises : %(names)s.") % {
                "names": ", ".join(refused)
            }
            locked.save(update_fields=["note"])
        return message


def _acceptable(files):
    """The files a message may carry, and the names of the others."""
    kept, refused = [], []
    for name, data in files:
        try:
            attachments.validate(name, data)
        except attachments.AttachmentRefused:
            refused.append(name)
            continue
        if len(kept) < attachments.MAX_PER_MESSAGE:
            kept.append((name, data))
        else:
            refused.append(name)
    return kept, refused


def discard(email, *, by, reason=""):
    """The team sets an email of "À trier" aside (its raw bytes stay, the log says who)."""
    _require_team(by)
    with transaction.atomic():
        locked = _locked_email(email)
        if locked.status != Status.TO_SORT:
            raise MoveRefused(_("Ce courriel a déjà été traité."))
        locked.status, locked.handled_by, locked.handled_at = (
            Status.DISCARDED,
            by,
            timezone.now(),
        )
        reason = reason.strip()
        if reason:
            locked.note = reason
        locked.save()
        log(locked, "intake.email_discarded", user=by, data={"detail": reason} if reason else None)
    return locked


def flagged(email):
    """The message is flagged as processed on the server."""
    InboundEmail.objects.filter(pk=email.pk).update(flagged_at=timezone.now())
