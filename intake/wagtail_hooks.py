"""Registers the intake app's admin screens, panels (the dashboard's, the account page's),
bulk actions, audit-log actions and the request form page's views; no logic here."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .backoffice import calendar_feed
from .backoffice.accompaniments import AccompanimentViewSet
from .backoffice.agenda import AgendaViewSet
from .backoffice.bulk_actions import BULK_ACTIONS
from .backoffice.dashboard import team_panels
from .backoffice.digest_preference import DigestPreferencePanel
from .backoffice.inbox import InboundEmailViewSet
from .backoffice.outbox import OutgoingEmailViewSet
from .backoffice.permanence import PermanenceViewSetGroup
from .backoffice.reports import ReportsViewSet
from .backoffice.requests import IntakeRequestViewSet
from .backoffice.snippets import LabelViewSet, ReplyTemplateViewSet
from .lifecycle import mailbox, retention
from .lifecycle.history import log_formatters
from .models import IntakeRequest, RequestLogEntry
from .views.public import serve_form_page


class RequestsViewSetGroup(ViewSetGroup):
    items = (
        IntakeRequestViewSet,
        AccompanimentViewSet,
        InboundEmailViewSet,
        OutgoingEmailViewSet,
        LabelViewSet,
        ReplyTemplateViewSet,
    )
    menu_label = _("Demandes")
    menu_icon = "mail"
    menu_order = 150


@hooks.register("register_admin_viewset")
def register_request_viewsets():
    return RequestsViewSetGroup()


@hooks.register("register_admin_viewset")
def register_permanence_viewsets():
    return PermanenceViewSetGroup()


@hooks.register("register_admin_viewset")
def register_agenda_viewset():
    return AgendaViewSet()


@hooks.register("register_admin_viewset")
def register_reports_viewset():
    return ReportsViewSet()


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("construct_homepage_panels")
def add_team_panels(request, panels):
    panels.extend(team_panels(request.user))


@hooks.register("register_account_settings_panel")
def register_digest_preference_panel(request, user, profile):
    return DigestPreferencePanel(request, user, profile)


@hooks.register("register_account_settings_panel")
def register_calendar_feed_panel(request, user, profile):
    return calendar_feed.CalendarFeedPanel(request, user, profile)


@hooks.register("register_admin_urls")
def register_calendar_feed_urls():
    return calendar_feed.urls


@hooks.register("register_log_actions")
def register_request_log_actions(actions):
    actions.register_model(IntakeRequest, RequestLogEntry)
    for action, formatter in log_formatters():
        actions.register_action(action)(formatter)
    for action, label in mailbox.LOG_ACTIONS.items():
        actions.register_action(action, label, label)
    actions.register_action(retention.PURGE_ACTION, retention.PURGE_LABEL, retention.PURGE_LABEL)


# The request form page's views (models import no views: the page calls this hook).
hooks.register("serve_intake_form_page", serve_form_page)
