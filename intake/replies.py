"""Reply templates filled in for one request: the team's composer starts from the draft, and
the applicant's email gets the status link, which each email receives afresh."""

from django.utils.translation import gettext as _

from .booking import slot_label
from .models import ReplyTemplate, fill_variables, holds_variable


def team_member_name(user):
    return (user.get_full_name() or user.get_username()) if user else _("l'équipe")


def variables(intake_request, *, by=None, partner=None, status_url=None):
    appointment = intake_request.booked_appointment
    values = {
        "collectivite": intake_request.collectivite_in_sentence,
        "de_collectivite": intake_request.de_collectivite,
        "contact": intake_request.contact_name,
        "reference": intake_request.reference,
        "rendez_vous": slot_label(appointment.starts_at) if appointment else _("à convenir"),
        "agent": team_member_name(by),
    }
    if partner is not None:
        values["partenaire"] = partner.name
    if status_url is not None:
        values["lien_suivi"] = status_url
    return values


def draft(template, intake_request, *, by=None, partner=None):
    """(subject, body) of ``template`` for ``intake_request``; ``{lien_suivi}`` stays to be filled.

    So does a variable whose value holds one (a contact typed as "{lien_suivi}"): filled only
    when the message is sent, in one pass, it is never read as a variable the team wrote."""
    values = {
        name: value
        for name, value in variables(intake_request, by=by, partner=partner).items()
        if not holds_variable(value)
    }
    return fill_variables(template.subject, values), fill_variables(template.body, values)


def default_draft(reply, intake_request, *, by=None, partner=None):
    """(subject, body) of the first template of a move's declared ``reply``."""
    return draft(ReplyTemplate.for_purpose(reply)[0], intake_request, by=by, partner=partner)
