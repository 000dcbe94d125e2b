"""The applicant's status page, reached by the secret link of the acknowledgement email."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import booking, notifications, workflow
from ..emails import appointment_attachment
from ..forms import ConfirmForm, LostLinkForm, MessageForm, SlotForm
from ..models import IntakeRequest, RequestMessage
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


@never_cache
@limit_posts("tracking")
def tracking(http_request, token):
    request = _request_for(token)
    appointment = request.booked_appointment
    forms = {
        "slot_form": SlotForm(prefix="slot"),
        "cancel_form": ConfirmForm(prefix="cancel"),
        "withdraw_form": ConfirmForm(prefix="withdraw"),
        "message_form": MessageForm(prefix="message"),
    }
    if http_request.method == "POST":
        action = http_request.POST.get("action")
        handler = ACTIONS.get(action)
        if handler is None or not request.is_open:
            messages.error(http_request, _("Cette action n'est plus possible."))
            return redirect(http_request.path)
        form_name, form = handler.bind(http_request)
        if form.is_valid():
            try:
                handler.run(request, appointment, form, token)
            except (booking.BookingError, workflow.TransitionNotAllowed) as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(http_request, handler.success)
                return redirect(http_request.path)
        forms[form_name] = form
    return _private(
        TemplateResponse(
            http_request,
            "intake/tracking.html",
            {
                "request": http_request,
                "intake_request": request,
                "appointment": appointment,
                "history": workflow.history(request),
                "thread": request.messages.all(),
                "title": _("Suivi de votre demande"),
                "breadcrumb_data": {"links": [], "current": _("Suivi de votre demande")},
                "token": token,
                **forms,
            },
            status=400 if http_request.method == "POST" else 200,
        )
    )


class Action:
    form_class = None
    prefix = ""
    success = ""

    @classmethod
    def bind(cls, http_request):
        return f"{cls.prefix}_form", cls.form_class(http_request.POST, prefix=cls.prefix)


class Book(Action):
    form_class, prefix = SlotForm, "slot"
    success = _("Votre rendez-vous est enregistré. L'invitation vous a été envoyée par courriel.")

    @staticmethod
    def run(request, appointment, form, token):
        with transaction.atomic():
            # Another tab may have booked meanwhile: decide on the locked, fresh state.
            request = IntakeRequest.objects.select_for_update().get(pk=request.pk)
            appointment = request.booked_appointment
            if appointment is None:
                appointment = booking.book(request, form.chosen_slot.starts_at)
                workflow.record(request, "intake.appointment_booked")
            else:
                appointment = booking.reschedule(appointment, form.chosen_slot.starts_at)
                workflow.record(request, "intake.appointment_rescheduled")
            notifications.appointment_changed(appointment, token)


class CancelAppointment(Action):
    form_class, prefix = ConfirmForm, "cancel"
    success = _("Votre rendez-vous est annulé.")

    @staticmethod
    def run(request, appointment, form, token):
        if appointment is None:
            raise booking.AppointmentNotBooked
        with transaction.atomic():
            booking.cancel(appointment, by="applicant")
            workflow.record(request, "intake.appointment_cancelled")
            notifications.appointment_changed(appointment, token, cancelled=True)


class Withdraw(Action):
    form_class, prefix = ConfirmForm, "withdraw"
    success = _("Votre demande est retirée. Vous pouvez en déposer une nouvelle à tout moment.")

    @staticmethod
    def run(request, appointment, form, token):
        workflow.apply(request, "withdraw")


class WriteMessage(Action):
    form_class, prefix = MessageForm, "message"
    success = _("Votre message est transmis à l'équipe.")

    @staticmethod
    def run(request, appointment, form, token):
        with transaction.atomic():
            message = RequestMessage.objects.create(
                request=request,
                author=RequestMessage.Author.APPLICANT,
                body=form.cleaned_data["body"],
            )
            workflow.record(request, "intake.message_received")
            notifications.applicant_message(message)


ACTIONS = {
    "book": Book,
    "cancel_appointment": CancelAppointment,
    "withdraw": Withdraw,
    "message": WriteMessage,
}


@never_cache
@require_GET
def appointment_ics(http_request, token):
    request = _request_for(token)
    appointment = request.booked_appointment
    if appointment is None:
        raise Http404
    filename, content, mimetype = appointment_attachment(appointment, token)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


@never_cache
@limit_posts("lost-link")
def lost_link(http_request):
    form = LostLinkForm(http_request.POST or None)
    sent = False
    if http_request.method == "POST" and form.is_valid():
        workflow.resend_links(form.cleaned_data["email"])
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
