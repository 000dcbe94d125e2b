"""The public forms that Wagtail and Django answer themselves (signing in to the site, a page's
or a collection's shared password, the admin's password reset), under the portal's rate
limits: each wrong password costs its client, and a reset emails one account a few times per
window, whoever asks. The admin's sign-in has its own lockout (``portal.lockout``)."""

import math
from functools import wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.template.response import TemplateResponse
from wagtail import views as wagtail_views
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm
from wagtail.documents.views import serve as document_views
from wagtail.urls import WAGTAIL_FRONTEND_LOGIN_TEMPLATE

from intake import ratelimit

SIGN_IN_SCOPE = "sign-in"
SHARED_PASSWORD_SCOPE = "shared-password"
PASSWORD_RESET_SCOPE = "password-reset"


def too_many_attempts(request):
    context = {"window_minutes": math.ceil(settings.RATELIMIT_WINDOW / 60)}
    return ratelimit.limited(TemplateResponse(request, "429.html", context))


def failures_limited(scope):
    """A password form whose failed posts (the form shown again, no redirect) its client pays
    for; past RATELIMIT_FORM_POSTS in the window, it answers 429 without trying the password."""

    def decorate(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            if ratelimit.client_exhausted(request, scope):
                return too_many_attempts(request)
            response = view(request, *args, **kwargs)
            if response.status_code != 302:
                ratelimit.client_spends(request, scope)
            return response

        return limited_view

    return decorate


frontend_login = failures_limited(SIGN_IN_SCOPE)(
    auth_views.LoginView.as_view(template_name=WAGTAIL_FRONTEND_LOGIN_TEMPLATE)
)
page_password = failures_limited(SHARED_PASSWORD_SCOPE)(wagtail_views.authenticate_with_password)
document_password = failures_limited(SHARED_PASSWORD_SCOPE)(
    document_views.authenticate_with_password
)


class PasswordResetForm(WagtailPasswordResetForm):
    """Wagtail's reset form (WAGTAILADMIN_USER_PASSWORD_RESET_FORM), whose answer stays the
    same "check your mailbox" whatever is sent. Each post costs its client; an account
    receives RATELIMIT_RESETS_PER_ACCOUNT emails per window, whoever asks, and every one of
    them holds a link that works until the password changes, so a stranger who spends the
    quota still leaves the owner a way in: the latest email they received."""

    def save(self, *args, request, **kwargs):
        if ratelimit.client_within(request, PASSWORD_RESET_SCOPE):
            super().save(*args, request=request, **kwargs)

    def get_users(self, email):
        return (
            user
            for user in super().get_users(email)
            if ratelimit.within(
                PASSWORD_RESET_SCOPE,
                f"account:{user.pk}",
                settings.RATELIMIT_RESETS_PER_ACCOUNT,
                settings.RATELIMIT_WINDOW,
            )
        )
