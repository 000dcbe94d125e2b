"""The admin's second factor: who must prove one, their devices (django-otp's: an authenticator
app's time-based codes, TOTP, and recovery codes, each good once), enrolment, the codes checked
behind their own lockout, and the middleware that asks for them on every admin URL.

Whoever may see personal data (the team, superusers) proves a second factor after the
password, once per session; editors and moderators are not asked. django-otp keeps the verified
device in the session and checks at each request that it still exists and is confirmed:
deleting a person's devices signs their sessions out of the second factor."""

import django_otp
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.models.request import READ_PERMISSION
from portal import lockout

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = _("Application d'authentification")
RECOVERY_CODES_NAME = _("Codes de secours")


class CodeRefused(Exception):
    """The code is none of the person's."""


class Locked(CodeRefused):
    def __init__(self, seconds):
        super().__init__(seconds)
        self.seconds = seconds


def required(user):
    """Whether this person must prove a second factor to use the admin."""
    return (
        settings.TWO_FACTOR_REQUIRED
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(READ_PERMISSION))
    )


def enrolled(user):
    """Whether this person has an authenticator (or recovery codes) to prove it with."""
    return django_otp.user_has_device(user, confirmed=True)


def pending_authenticator(user):
    """The authenticator being enrolled: the same one until it is confirmed, so that a reload
    of the page keeps the secret already scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def normalised(code):
    """A code as people copy it: spaces and dashes aside, recovery codes in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def _attempt(request, check):
    """Run ``check`` (the device that took the code, or None) behind the lockout: while locked,
    no code is checked, so a right one tells nothing either."""
    username = request.user.get_username()
    if wait := lockout.SECOND_FACTOR.locked_for(request, username):
        raise Locked(wait)
    device = check()
    if device is None:
        lockout.SECOND_FACTOR.fail(request, username)
        if wait := lockout.SECOND_FACTOR.locked_for(request, username):
            raise Locked(wait)
        raise CodeRefused
    lockout.SECOND_FACTOR.succeed(username)
    # A new session key for the session that now reaches personal data, as at the password.
    request.session.cycle_key()
    django_otp.login(request, device)
    return device


def confirm(request, code):
    """Enrolment's end: the pending authenticator confirmed by a code it shows, a new set of
    recovery codes made (returned, to be shown once), the session verified."""
    user = request.user
    pending = pending_authenticator(user)

    def check():
        # django-otp's verify_token locks the device's row: a code is taken once.
        device = django_otp.verify_token(user, pending.persistent_id, normalised(code))
        if device is not None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        return device

    with transaction.atomic():
        _attempt(request, check)
        TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    return codes


def verify(request, code):
    """The sign-in's second step: a code of the authenticator, or a recovery code (spent).
    Returns the device that took it."""
    user = request.user

    def check():
        for device in django_otp.devices_for_user(user):
            if verified := django_otp.verify_token(user, device.persistent_id, normalised(code)):
                return verified
        return None

    return _attempt(request, check)


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user).count()


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: on every admin URL but the sign-in's own pages,
    someone who must prove a second factor and has not in this session is sent to enrol, or
    to type a code, and comes back where they were going."""

    OPEN_URL_NAMES = [
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "two_factor_verify",
        "two_factor_enrol",
    ]

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("wagtailadmin_home")
        self.open_paths = {reverse(name) for name in self.OPEN_URL_NAMES}

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(self.admin_prefix)
            and path not in self.open_paths
            and required(request.user)
            and not request.user.is_verified()
        ):
            step = "two_factor_verify" if enrolled(request.user) else "two_factor_enrol"
            return redirect_to_login(request.get_full_path(), reverse(step))
        return self.get_response(request)
