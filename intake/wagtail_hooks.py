"""Registers the intake app's admin screens and audit-log actions; no logic here."""

from wagtail import hooks

from .views.admin import IntakeRequestViewSet
from .viewsets import PermanenceViewSetGroup
from .workflow import LOG_ACTIONS


@hooks.register("register_admin_viewset")
def register_permanence_viewsets():
    return PermanenceViewSetGroup()


@hooks.register("register_admin_viewset")
def register_request_viewset():
    return IntakeRequestViewSet("requests", url_prefix="demandes")


@hooks.register("register_log_actions")
def register_request_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
