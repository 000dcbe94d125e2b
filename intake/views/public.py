"""The request form and its confirmation: parse, call the domain, render."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from home.models import PortalSettings

from .. import ratelimit
from ..booking import SlotUnavailable
from ..lifecycle.submission import (
    already_received,
    new_submission_token,
    submission_key,
    submit,
)
from ..models import IntakeRequest
from .forms import RequestForm, SpamSuspected

RATE_SCOPE = "request-form"
CONFIRMATION_SESSION_KEY = "intake_confirmation"
LINK_COOKIE = "intake_status_link"
LINK_COOKIE_SECONDS = 300


def serve_form_page(request, page, step):
    """The request form page's two steps, served through the ``serve_intake_form_page`` hook."""
    if step == page.CONFIRMATION:
        return confirmation(request, page)
    return request_form(request, page)


def _validate(form):
    """(valid, spam): a filled honeypot is a spammer, answered as if all went well."""
    try:
        return form.is_valid(), False
    except SpamSuspected:
        return False, True


@never_cache
def request_form(request, page):
    if request.method != "POST":
        form = RequestForm(initial={"submission": new_submission_token()})
        return render_form(request, page, form)
    replayed = already_received(submission_key(request.POST.get("submission", "")))
    if replayed:
        # Double click, back-and-resubmit or replay: the request exists, show it again.
        return confirm(request, page, replayed, token=None)
    form = RequestForm(request.POST)
    is_valid, spam = _validate(form)
    if ratelimit.client_exhausted(request, RATE_SCOPE):
        # Everything typed is shown again, with the reason; nothing is stored.
        return ratelimit.limited(render_form(request, page, form, limited=True))
    if spam:
        ratelimit.client_spends(request, RATE_SCOPE)
        request.session[CONFIRMATION_SESSION_KEY] = {"reference": None}
        return redirect(page.confirmation_url)
    if is_valid:
        try:
            submission = submit(
                form.request_data(),
                submission_key=form.cleaned_data["submission"],
                slot=form.chosen_slot,
            )
        except SlotUnavailable as refusal:
            # Bound again with the slots left: the taken one is then refused by the form.
            form = RequestForm(request.POST)
            if form.is_valid() or "slot" not in form.errors:
                form.add_error("slot", str(refusal))
        else:
            ratelimit.client_spends(request, RATE_SCOPE)
            return confirm(request, page, submission.intake_request, submission.token)
    return render_form(request, page, form, status=400 if form.errors else 200)


def confirm(request, page, intake_request, token):
    """To the confirmation page. The status link's token rides in a short-lived signed cookie
    that the page reads once and deletes: neither the session nor the database keeps it."""
    request.session[CONFIRMATION_SESSION_KEY] = {"reference": intake_request.reference}
    response = redirect(page.confirmation_url)
    if token is not None:
        response.set_signed_cookie(
            LINK_COOKIE,
            token,
            salt=LINK_COOKIE,
            max_age=LINK_COOKIE_SECONDS,
            path=page.confirmation_url,
            secure=request.is_secure(),
            httponly=True,
            samesite="Strict",
        )
    return response


def render_form(request, page, form, status=200, limited=False):
    return TemplateResponse(
        request,
        "intake/intake_form_page.html",
        {"page": page, "form": form, "title": page.title, "limited": limited},
        status=status,
    )


@never_cache
def confirmation(request, page):
    details = request.session.get(CONFIRMATION_SESSION_KEY)
    if details is None:
        return redirect(page.url)
    intake_request = (
        IntakeRequest.objects.filter(reference=details["reference"]).first()
        if details["reference"]
        else None
    )
    token = request.get_signed_cookie(
        LINK_COOKIE, default=None, salt=LINK_COOKIE, max_age=LINK_COOKIE_SECONDS
    )
    response = TemplateResponse(
        request,
        "intake/confirmation.html",
        {
            "page": page,
            "intake_request": intake_request,
            "appointment": intake_request.booked_appointment if intake_request else None,
            "status_link": reverse("intake:tracking", args=[token]) if token else None,
            "portal": PortalSettings.load(),
            "title": _("Demande envoyée"),
            "breadcrumb_data": {
                "links": [{"url": page.url, "title": page.title}],
                "current": _("Demande envoyée"),
            },
        },
    )
    response.delete_cookie(LINK_COOKIE, path=page.confirmation_url)
    # Shown once: a reload, or the next person on a shared computer, reads that a request was
    # sent and how to find its link again, never this request's reference.
    request.session[CONFIRMATION_SESSION_KEY] = {"reference": None}
    return response
