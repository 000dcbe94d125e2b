"""What Wagtail's settings screens do not give: the retention periods read without being
changed, for the moderators (who answer for the privacy page that shows them). Those who may
change them (the team, superusers) also have Wagtail's own form."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from .models import RetentionSettings

FIELDS = (
    "anonymise_after_months",
    "spam_deleted_after_days",
    "sent_emails_purged_after_days",
    "unused_feeds_deleted_after_months",
)


class RetentionSettingsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = RetentionSettings.get_permission_policy()
    permission_required = "view"
    template_name = "home/retention_settings.html"
    page_title = _("Durées de conservation")
    header_icon = "time"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        retention = RetentionSettings.load(request_or_site=self.request)
        periods = [
            (RetentionSettings._meta.get_field(name).verbose_name, getattr(retention, name))
            for name in FIELDS
        ]
        can_change = self.permission_policy.user_has_permission(self.request.user, "change")
        edit_url = (
            reverse("wagtailsettings:edit", args=["home", "retentionsettings", retention.pk])
            if can_change
            else None
        )
        return super().get_context_data(periods=periods, edit_url=edit_url, **kwargs)


class ReadOnlyRetentionMenuItem(MenuItem):
    """In the settings menu of those who may read the periods but not change them (the others
    have Wagtail's item, to the form)."""

    def is_shown(self, request):
        policy, user = RetentionSettings.get_permission_policy(), request.user
        return policy.user_has_permission(user, "view") and not policy.user_has_permission(
            user, "change"
        )


urls = [
    path("conservation/", RetentionSettingsView.as_view(), name="retention_settings"),
]


def menu_item():
    return ReadOnlyRetentionMenuItem(
        _("Durées de conservation"), reverse("retention_settings"), icon_name="time"
    )
