"""The request form and its confirmation: parse, call the domain, render."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..booking import SlotUnavailable
from ..forms import RequestForm, SpamSuspected, new_submission_token, submission_key
from ..lifecycle.commands import already_received, submit
from ..ratelimit import limit_posts

CONFIRMATION_SESSION_KEY = "intake_confirmation"


def serve_form_page(request, page, step):
    """The request form page's two steps, served through the ``serve_intake_form_page`` hook."""
    if step == page.CONFIRMATION:
        return confirmation(request, page)
    return request_form(request, page)


@never_cache
@limit_posts("request-form")
def request_form(request, page):
    if request.method != "POST":
        form = RequestForm(initial={"submission": new_submission_token()})
        return render_form(request, page, form)
    replayed = already_received(submission_key(request.POST.get("submission", "")))
    if replayed:
        # Double click, back-and-resubmit or replay: the request exists, show it again.
        return confirm(request, page, replayed, token=None)
    form = RequestForm(request.POST)
    try:
        is_valid = form.is_valid()
    except SpamSuspected:
        # Bots get the same answer as people, and nothing is stored.
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
            return confirm(request, page, submission.request, submission.token)
    return render_form(request, page, form, status=400 if form.errors else 200)


def confirm(request, page, intake_request, token):
    request.session[CONFIRMATION_SESSION_KEY] = {
        "reference": intake_request.reference,
        "token": token,
        "related": bool(intake_request.related_open_request_id),
    }
    return redirect(page.confirmation_url)


def render_form(request, page, form, status=200):
    return TemplateResponse(
        request,
        "intake/intake_form_page.html",
        {"page": page, "form": form, "title": page.title},
        status=status,
    )


@never_cache
def confirmation(request, page):
    details = request.session.get(CONFIRMATION_SESSION_KEY)
    if details is None:
        return redirect(page.url)
    return TemplateResponse(
        request,
        "intake/confirmation.html",
        {
            "page": page,
            "details": details,
            "title": _("Demande envoyée"),
            "breadcrumb_data": {
                "links": [{"url": page.url, "title": page.title}],
                "current": _("Demande envoyée"),
            },
        },
    )
