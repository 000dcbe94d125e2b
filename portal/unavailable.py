"""The database down: a DSFR 503 page instead of an error, rendered without touching the
database; on a POST, the form again with everything typed, to send once the service is back.
Nothing was written: the failing transaction never committed.

The forms of RESUBMITTED_FORMS (settings) give their fields' labels and choices, so that the
page speaks as the form did; their honeypots and hidden fields go back hidden, as they came."""

import sys
from dataclasses import dataclass, field
from functools import cache

from django import forms
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.views import defaults

# What an unreachable or restarting database raises; any other error stays a 500.
OUTAGES = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 120


@dataclass
class Resubmission:
    action: str
    csrf_token: str
    texts: list = field(default_factory=list)  # (name, label, value, multiline): editable
    choices: list = field(default_factory=list)  # (label, [chosen labels]): shown
    hidden: list = field(default_factory=list)  # (name, value): sent back as they came
    files_lost: bool = False


@cache
def _known_fields():
    """{name: (form field, is a honeypot)} of the resubmitted forms' declared fields."""
    known = {}
    for path in settings.RESUBMITTED_FORMS:
        form_class = import_string(path)
        honeypots = set(getattr(form_class, "honeypot_fields", ()))
        for name, form_field in form_class.base_fields.items():
            known.setdefault(name, (form_field, name in honeypots))
    return known


def _chosen_labels(form_field, values):
    labels = {str(value): str(label) for value, label in form_field.choices}
    return [labels.get(value, value) for value in values]


def resubmission(request):
    typed = Resubmission(action=request.path, csrf_token=get_token(request))
    typed.files_lost = bool(request.FILES)
    known = _known_fields()
    for name, values in request.POST.lists():
        if name == "csrfmiddlewaretoken":
            continue
        form_field, honeypot = known.get(name, (None, True))
        shown = form_field is not None and not honeypot and not form_field.widget.is_hidden
        if shown and isinstance(form_field, forms.CharField) and len(values) == 1:
            value = values[0]
            multiline = isinstance(form_field.widget, forms.Textarea) or "\n" in value
            typed.texts.append((name, str(form_field.label), value, multiline))
            continue
        if shown and list(getattr(form_field, "choices", ())):
            typed.choices.append((str(form_field.label), _chosen_labels(form_field, values)))
        typed.hidden.extend((name, value) for value in values)
    return typed


def unavailable(request):
    context = {
        "database_down": True,
        "resubmission": resubmission(request) if request.method == "POST" else None,
    }
    # No request given: no context processor runs, none reads the database.
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: a database outage answers the 503 page, anything else Django's 500."""
    if isinstance(sys.exc_info()[1], OUTAGES):
        return unavailable(request)
    return defaults.server_error(request)
