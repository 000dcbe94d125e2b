"""The applicant's status page, reached by the secret link of the acknowledgement email."""

import math

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import attachments, ratelimit
from ..actions import Action
from ..emails import calendar_file, status_url
from ..errors import DomainError
from ..lifecycle import commands, history
from ..models import ActionItem, Attachment, IntakeRequest
from ..selectors import satisfaction_asked, sessions_shared_with
from .forms import (
    ActionDoneForm,
    ConfirmForm,
    LostLinkForm,
    MessageForm,
    SatisfactionForm,
    SlotForm,
)

RATE_SCOPE = "tracking"
LOST_LINK_SCOPE = "lost-link"


def _private(response):
    """The token is in the URL: never send it to another site as a referrer (same-origin
    still lets the page's own forms pass CSRF's origin check), never index the page."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


class LinkNotValid(Exception):
    """The token opens no request: unknown, or expired."""


def _request_for(token):
    intake_request = IntakeRequest.objects.with_token(token).first()
    if intake_request is None:
        raise LinkNotValid
    return intake_request


def _link_not_valid(http_request):
    """A 404 that says the link does not (or no longer) work and how to get a new one."""
    return _private(
        TemplateResponse(
            http_request,
            "intake/link_not_valid.html",
            {"title": _("Ce lien de suivi ne fonctionne pas")},
            status=404,
        )
    )


def _book(intake_request, form, by):
    commands.applicant_books(intake_request, starts_at=form.chosen_slot.starts_at)


def _cancel(intake_request, form, by):
    commands.cancel_appointment(intake_request.booked_appointment, by=by)


def _withdraw(intake_request, form, by):
    commands.withdraw(intake_request, by=by)


def _done(intake_request, form, by):
    item = (
        ActionItem.objects.for_collectivite()
        .filter(appointment__request=intake_request, pk=form.cleaned_data["item"])
        .first()
    )
    if item is None:
        raise DomainError(_("Cette action n'est plus proposée."))
    commands.applicant_completes(item)


def _write(intake_request, form, by):
    data = form.cleaned_data
    commands.applicant_writes(intake_request, body=data["body"], files=data["files"])


def _answer(intake_request, form, by):
    data = form.cleaned_data
    commands.answer_satisfaction(intake_request, score=data["score"], comment=data["comment"])


# The forms of the status page, by the value of their "action" button.
ACTIONS = {
    "book": Action(
        SlotForm,
        _book,
        gettext_lazy(
            "Votre rendez-vous est enregistré. L'invitation vous a été envoyée par courriel."
        ),
        prefix="slot",
    ),
    "cancel_appointment": Action(
        ConfirmForm, _cancel, gettext_lazy("Votre rendez-vous est annulé."), prefix="cancel"
    ),
    "withdraw": Action(
        ConfirmForm,
        _withdraw,
        gettext_lazy(
            "Votre demande est retirée. Vous pouvez en déposer une nouvelle à tout moment."
        ),
        prefix="withdraw",
    ),
    "action_done": Action(
        ActionDoneForm,
        _done,
        gettext_lazy("C'est noté : l'action est faite, l'équipe le voit."),
        prefix="done",
    ),
    "message": Action(
        MessageForm,
        _write,
        gettext_lazy("Votre message est transmis à l'équipe."),
        prefix="message",
    ),
    "satisfaction": Action(
        SatisfactionForm,
        _answer,
        gettext_lazy("Merci pour votre avis : l'équipe le lira avec attention."),
        prefix="satisfaction",
    ),
}
# What the applicant may still do once the request ended.
AFTER_THE_END = {"satisfaction"}


@never_cache
def tracking(http_request, token):
    try:
        intake_request = _request_for(token)
    except LinkNotValid:
        return _link_not_valid(http_request)
    forms = {
        "slot_form": SlotForm(prefix="slot"),
        "cancel_form": ConfirmForm(prefix="cancel"),
        "withdraw_form": ConfirmForm(prefix="withdraw"),
        "message_form": MessageForm(prefix="message"),
        "satisfaction_form": SatisfactionForm(prefix="satisfaction"),
    }
    failed, limited = None, False
    if http_request.method == "POST":
        name = http_request.POST.get("action")
        if name not in ACTIONS or not (intake_request.is_open or name in AFTER_THE_END):
            messages.error(http_request, _("Cette action n'est plus possible."))
            return redirect(http_request.path)
        action = ACTIONS[name]
        form = action.form_class(http_request.POST, http_request.FILES, prefix=action.prefix)
        limited = ratelimit.client_exhausted(http_request, RATE_SCOPE)
        if form.is_valid() and not limited:
            try:
                action.run(intake_request, form, None)
            except DomainError as refusal:
                form.add_error(None, str(refusal))
            else:
                ratelimit.client_spends(http_request, RATE_SCOPE)
                messages.success(http_request, action.success)
                return redirect(http_request.path)
        forms[f"{action.prefix}_form"] = failed = form
    # The next appointment, then the later ones, read once.
    booked = list(intake_request.appointments.booked().order_by("starts_at"))
    response = TemplateResponse(
        http_request,
        "intake/tracking.html",
        {
            "request": http_request,
            "intake_request": intake_request,
            "appointment": booked[0] if booked else None,
            "history": history.applicant_timeline(intake_request),
            "sessions": sessions_shared_with(intake_request),
            "later_appointments": booked[1:],
            "thread": intake_request.messages.prefetch_related("attachments"),
            "title": _("Suivi de votre demande"),
            "breadcrumb_data": {"links": [], "current": _("Suivi de votre demande")},
            "token": token,
            "satisfaction_asked": satisfaction_asked(intake_request),
            "failed_form": failed,
            "limited": limited,
            **forms,
        },
        status=400 if failed is not None else 200,
    )
    return _private(ratelimit.limited(response) if limited else response)


@never_cache
@require_GET
def appointment_ics(http_request, token, pk=None):
    """The .ics of the next appointment, or of the booked one ``pk`` (a later session)."""
    try:
        intake_request = _request_for(token)
    except LinkNotValid:
        return _link_not_valid(http_request)
    if pk is None:
        appointment = intake_request.booked_appointment
    else:
        appointment = intake_request.appointments.booked().filter(pk=pk).first()
    if appointment is None:
        raise Http404
    response = HttpResponse(
        calendar_file(appointment, status_url(token)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return _private(response)


@never_cache
@require_GET
def attachment(http_request, token, pk):
    """A file of the request's thread, the applicant's or the team's."""
    try:
        intake_request = _request_for(token)
    except LinkNotValid:
        return _link_not_valid(http_request)
    found = get_object_or_404(Attachment.objects.of_request(intake_request), pk=pk)
    return _private(attachments.download(found))


@never_cache
def lost_link(http_request):
    form = LostLinkForm(http_request.POST or None)
    sent = limited = False
    if http_request.method == "POST" and form.is_valid():
        limited = ratelimit.client_exhausted(http_request, LOST_LINK_SCOPE)
        if not limited:
            ratelimit.client_spends(http_request, LOST_LINK_SCOPE)
            commands.request_links(form.cleaned_data["email"])
            sent = True  # the same answer whether or not a request exists
    response = TemplateResponse(
        http_request,
        "intake/lost_link.html",
        {
            "form": form,
            "sent": sent,
            "limited": limited,
            "links_per_window": settings.RATELIMIT_LINKS_PER_ADDRESS,
            "window_minutes": math.ceil(settings.RATELIMIT_WINDOW / 60),
            "title": _("Retrouver le lien de suivi"),
            "breadcrumb_data": {"links": [], "current": _("Retrouver le lien de suivi")},
        },
        status=400 if form.errors else 200,
    )
    return ratelimit.limited(response) if limited else response
