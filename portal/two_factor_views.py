"""The admin's second-factor screens, in the look of Wagtail's sign-in: enrolment (a QR code
and its secret in text, a code to confirm, then the recovery codes, shown once) and the code
asked after the password. The rules are in ``portal.two_factor``."""

import textwrap
from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice
from wagtail.admin.auth import require_admin_access

from portal import two_factor
from portal.login import locked_error

RECOVERY_CODES_SESSION_KEY = "two_factor_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        help_text=gettext_lazy(
            "Les 6 chiffres affichés par votre application d'authentification, "
            "ou l'un de vos codes de secours."
        ),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def check(self, command, request):
        """Whether ``command(request, code)`` took the code; else the form carries why not."""
        if not self.is_valid():
            return False
        try:
            command(request, self.cleaned_data["code"])
        except two_factor.Locked as locked:
            self.add_error(None, locked_error(locked.seconds))
        except two_factor.CodeRefused:
            self.add_error("code", _("Ce code n'est pas le bon, ou il a déjà servi."))
        else:
            return True
        return False


class EnrolmentForm(CodeForm):
    code = forms.CharField(
        label=gettext_lazy("Code à 6 chiffres affiché par l'application"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def next_url(request):
    """Where the person was going, when it is on this site; else the admin's home."""
    url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


def _with_next(name, request):
    return f"{reverse(name)}?{urlencode({'next': next_url(request)})}"


def screen(view):
    """A second-factor screen: for signed-in people of the admin who must prove one, never
    cached, its codes never in an error report."""
    view = sensitive_post_parameters("code")(never_cache(view))

    def guarded(request):
        if not two_factor.required(request.user):
            return redirect("wagtailadmin_home")
        return view(request)

    return require_admin_access(guarded)


@screen
def verify(request):
    if request.user.is_verified():
        return redirect(next_url(request))
    if not two_factor.enrolled(request.user):
        return redirect(_with_next("two_factor_enrol", request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.check(two_factor.verify, request):
        if isinstance(request.user.otp_device, StaticDevice):
            left = two_factor.recovery_codes_left(request.user)
            message = _("Code de secours utilisé : il vous en reste %(count)s.")
            messages.warning(request, message % {"count": left})
        return redirect(next_url(request))
    return TemplateResponse(
        request, "portal/two_factor/verify.html", {"form": form, "next": next_url(request)}
    )


def confirm(request, code):
    request.session[RECOVERY_CODES_SESSION_KEY] = two_factor.confirm(request, code)


@screen
def enrol(request):
    if two_factor.enrolled(request.user):
        return redirect(_with_next("two_factor_verify", request))
    form = EnrolmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.check(confirm, request):
        return redirect(_with_next("two_factor_recovery_codes", request))
    device = two_factor.pending_authenticator(request.user)
    # Drawn by segno from the device's URL: paths, no text of anyone's.
    qr_code = segno.make(device.config_url, error="m").svg_inline(
        scale=5, light="#fff", title=_("QR code à scanner avec l'application")
    )
    context = {
        "form": form,
        "next": next_url(request),
        "qr_code": mark_safe(qr_code),
        # Grouped by four, as authenticator apps accept it typed.
        "secret": " ".join(textwrap.wrap(b32encode(device.bin_key).decode(), 4)),
    }
    return TemplateResponse(request, "portal/two_factor/enrol.html", context)


@screen
def recovery_codes(request):
    """The recovery codes just made, shown once: a reload shows them no more."""
    context = {
        "codes": request.session.pop(RECOVERY_CODES_SESSION_KEY, None),
        "next": next_url(request),
    }
    return TemplateResponse(request, "portal/two_factor/recovery_codes.html", context)


urlpatterns = [
    path("code/", verify, name="two_factor_verify"),
    path("activation/", enrol, name="two_factor_enrol"),
    path("codes-de-secours/", recovery_codes, name="two_factor_recovery_codes"),
]
