"""The back office's forms, posted once: a view mixin that gives each rendering of its forms a
key of its own, and answers a second post of the same form with "déjà enregistré"."""

import uuid

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin.utils import get_valid_next_url_from_request

from ..lifecycle.once import AlreadyRecorded, run_once

FIELD = "form_key"


def _posted_key(data):
    try:
        return uuid.UUID(data.get(FIELD, ""))
    except ValueError:
        return None


class PostedOnceMixin:
    """For a view whose forms post to it, and which calls ``run_once(...)`` where it would call
    its ``run(...)`` (one command)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(form_key=uuid.uuid4(), **kwargs)

    def dispatch(self, http_request, *args, **kwargs):
        try:
            return super().dispatch(http_request, *args, **kwargs)
        except AlreadyRecorded:
            messages.info(http_request, _("Déjà enregistré : ce formulaire avait déjà été envoyé."))
            return redirect(get_valid_next_url_from_request(http_request) or self.page_url)

    def run_once(self, *args):
        """``self.run(*args)``, unless this very form was posted before."""
        scope = f"{self.request.path}:{self.request.POST.get('action', '')}"[:200]
        return run_once(
            self.intake_request,
            key=_posted_key(self.request.POST),
            scope=scope,
            run=lambda: self.run(*args),
        )
