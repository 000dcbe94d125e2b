"""The applicant's status page, reached by the secret link of the acknowledgement email."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import booking
from ..emails import calendar_file, status_url
from ..forms import ConfirmForm, LostLinkForm, MessageForm, SlotForm
from ..lifecycle import commands, history
from ..lifecycle.moves import LifecycleError
from ..models import IntakeRequest
from ..ratelimit import limit_posts


def _private(response):
    """The token is in the URL: never send it to another site as a referrer (same-origin
    still lets the page's own forms pass CSRF's origin check), never index the page."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _request_for(token):
    request = IntakeRequest.objects.with_token(token).first()
    if request is None:
        raise Http404
    return request


def _book(request, form):
    commands.book(request, starts_at=form.chosen_slot.starts_at)


def _cancel(request, form):
    commands.cancel_appointment(request.booked_appointment)


def _withdraw(request, form):
    commands.withdraw(request)


def _write(request, form):
    commands.write(request, body=form.cleaned_data["body"])


@dataclass(frozen=True)
class Action:
    """One form of the status page and the one command it calls."""

    form_class: type
    prefix: str
    run: Callable
    success: str


ACTIONS = {
    "book": Action(
        SlotForm,
        "slot",
        _book,
        gettext_lazy(
            "Votre rendez-vous est enregistré. L'invitation vous a été envoyée par courriel."
        ),
    ),
    "cancel_appointment": Action(
        ConfirmForm, "cancel", _cancel, gettext_lazy("Votre rendez-vous est annulé.")
    ),
    "withdraw": Action(
        ConfirmForm,
        "withdraw",
        _withdraw,
        gettext_lazy(
            "Votre demande est retirée. Vous pouvez en déposer une nouvelle à tout moment."
        ),
    ),
    "message": Action(
        MessageForm, "message", _write, gettext_lazy("Votre message est transmis à l'équipe.")
    ),
}


@never_cache
@limit_posts("tracking")
def tracking(http_request, token):
    request = _request_for(token)
    forms = {
        "slot_form": SlotForm(prefix="slot"),
        "cancel_form": ConfirmForm(prefix="cancel"),
        "withdraw_form": ConfirmForm(prefix="withdraw"),
        "message_form": MessageForm(prefix="message"),
    }
    if http_request.method == "POST":
        name = http_request.POST.get("action")
        if name not in ACTIONS or not request.is_open:
            messages.error(http_request, _("Cette action n'est plus possible."))
            return redirect(http_request.path)
        action = ACTIONS[name]
        form = action.form_class(http_request.POST, prefix=action.prefix)
        if form.is_valid():
            try:
                action.run(request, form)
            except (booking.BookingError, LifecycleError) as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(http_request, action.success)
                return redirect(http_request.path)
        forms[f"{action.prefix}_form"] = form
    return _private(
        TemplateResponse(
            http_request,
            "intake/tracking.html",
            {
                "request": http_request,
                "intake_request": request,
                "appointment": request.booked_appointment,
                "history": history.applicant_timeline(request),
                "thread": request.messages.all(),
                "title": _("Suivi de votre demande"),
                "breadcrumb_data": {"links": [], "current": _("Suivi de votre demande")},
                "token": token,
                **forms,
            },
            status=400 if http_request.method == "POST" else 200,
        )
    )


@never_cache
@require_GET
def appointment_ics(http_request, token):
    request = _request_for(token)
    appointment = request.booked_appointment
    if appointment is None:
        raise Http404
    response = HttpResponse(
        calendar_file(appointment, status_url(token)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return _private(response)


@never_cache
@limit_posts("lost-link")
def lost_link(http_request):
    form = LostLinkForm(http_request.POST or None)
    sent = False
    if http_request.method == "POST" and form.is_valid():
        commands.resend_links(form.cleaned_data["email"])
        sent = True  # the same answer whether or not a request exists
    return TemplateResponse(
        http_request,
        "intake/lost_link.html",
        {
            "form": form,
            "sent": sent,
            "title": _("Retrouver le lien de suivi"),
            "breadcrumb_data": {"links": [], "current": _("Retrouver le lien de suivi")},
        },
    )
