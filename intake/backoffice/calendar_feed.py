"""The team member's calendar feed on their account page: its secret address, how to
subscribe to it, and the links to create, renew or delete it.

The account page is one form whose Save button comes last: a submit button of the panel
would become the form's default one, pressed by Enter in any field of the page. The panel
holds links; each change is confirmed on a page of its own, by a form of its own (POST).
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.account import BaseSettingsPanel, SettingsTab
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..lifecycle import feeds as feed_commands
from ..models import CalendarFeed

calendar_tab = SettingsTab("agenda", _("Agenda"), order=300)


def account_url():
    return reverse("wagtailadmin_account") + f"#tab-{calendar_tab.name}"


def feed_url(feed):
    return settings.BASE_URL + reverse("intake:calendar_feed", args=[feed.token])


class CalendarFeedPanel(BaseSettingsPanel):
    name = "calendar_feed"
    title = _("Flux d'agenda")
    tab = calendar_tab
    order = 100
    template_name = "intake/backoffice/account_calendar_feed.html"

    def is_active(self):
        return CalendarFeed.allowed_for(self.user)

    def get_form(self):
        """Nothing to save with the account page's form (the account view asks every panel)."""
        return forms.Form(prefix=self.name)

    @cached_property
    def feed(self):
        return CalendarFeed.objects.filter(user=self.user).first()

    def get_context_data(self):
        feed = self.feed
        url = feed_url(feed) if feed else None
        return {
            "feed": feed,
            "url": url,
            "webcal_url": url and "webcal://" + url.split("://", 1)[1],
            "issue_url": reverse("calendar_feed_change", args=[ISSUE]),
            "revoke_url": reverse("calendar_feed_change", args=[REVOKE]),
        }


ISSUE, REVOKE = "nouvelle-adresse", "supprimer"


@dataclass(frozen=True)
class Change:
    title: str
    explanation: str
    button: str
    done: str


def _change(action, feed):
    if action == REVOKE:
        return Change(
            _("Supprimer mon flux d'agenda"),
            _(
                "Son adresse cessera de fonctionner : les agendas abonnés n'y trouveront plus "
                "vos rendez-vous. Vous pourrez créer un nouveau flux plus tard."
            ),
            _("Supprimer le flux"),
            _("Votre flux d'agenda est supprimé : son adresse ne fonctionne plus."),
        )
    if feed is None:
        return Change(
            _("Créer mon flux d'agenda"),
            _(
                "Une adresse secrète donnera à votre agenda vos premiers échanges et séances de "
                "travail, ceux que vous tenez et ceux des demandes dont vous êtes chargé·e."
            ),
            _("Créer le flux"),
            _("Votre flux d'agenda est créé : abonnez-y votre agenda avec son adresse."),
        )
    return Change(
        _("Renouveler l'adresse de mon flux d'agenda"),
        _(
            "L'adresse actuelle cessera aussitôt de fonctionner : abonnez ensuite vos agendas "
            "à la nouvelle, à la place de l'ancienne. Renouvelez-la si quelqu'un d'autre a pu "
            "la voir."
        ),
        _("Renouveler l'adresse"),
        _(
            "Votre flux d'agenda a une nouvelle adresse ; l'ancienne ne fonctionne plus. "
            "Remplacez-la dans vos agendas."
        ),
    )


class CalendarFeedChangeView(WagtailAdminTemplateMixin, TemplateView):
    """Confirms a change of the feed (GET) and makes it (POST)."""

    template_name = "intake/backoffice/calendar_feed_change.html"
    header_icon = "calendar"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in (ISSUE, REVOKE):
            raise Http404
        if not CalendarFeed.allowed_for(request.user):
            raise PermissionDenied
        self.action = kwargs["action"]
        self.change = _change(self.action, CalendarFeed.objects.filter(user=request.user).first())
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.change.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": account_url(), "label": _("Compte")},
            {"url": "", "label": self.change.title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            change=self.change, destructive=self.action == REVOKE, back_url=account_url(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        if self.action == REVOKE:
            feed_commands.revoke(request.user)
        else:
            feed_commands.issue(request.user)
        messages.success(request, self.change.done)
        return redirect(account_url())


urls = [
    path(
        "compte/agenda/<str:action>/",
        CalendarFeedChangeView.as_view(),
        name="calendar_feed_change",
    )
]
