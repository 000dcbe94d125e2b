"""The admin's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM): Wagtail's, behind the lockout."""

import math

from django import forms
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from portal import lockout


def locked_error(seconds):
    """What a locked sign-in answers, at either step: the minutes left."""
    minutes = math.ceil(seconds / 60)
    return forms.ValidationError(
        ngettext(
            "Trop de tentatives de connexion. Réessayez dans %(minutes)s minute.",
            "Trop de tentatives de connexion. Réessayez dans %(minutes)s minutes.",
            minutes,
        ),
        code="locked",
        params={"minutes": minutes},
    )


class LoginForm(WagtailLoginForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        # Locked: the password is not even checked, so its answer tells nothing, nor its time.
        if wait := lockout.SIGN_IN.locked_for(self.request, username):
            raise locked_error(wait)
        try:
            cleaned_data = super().clean()
        except forms.ValidationError:
            lockout.SIGN_IN.fail(self.request, username)
            if wait := lockout.SIGN_IN.locked_for(self.request, username):
                raise locked_error(wait) from None
            raise
        lockout.SIGN_IN.succeed(username)
        return cleaned_data
