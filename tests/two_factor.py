"""The second factor as the tests prove it: a person's authenticator, the codes it shows, and a
test client whose force_login passes it as well as the password."""

import time

import django.test
from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import two_factor


def authenticator(user):
    """The person's confirmed authenticator, made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def code(key, *, steps_ahead=0):
    """What an authenticator app holding ``key`` (bytes) shows now, or a step later."""
    totp = TOTP(key)
    totp.time = time.time() + steps_ahead * totp.step
    return f"{totp.token():06d}"


def next_code(device):
    """A code the device takes now. Each is good once, and the device accepts the next step's
    too (one step of drift): when this step's has served, the next one's."""
    device.refresh_from_db()
    current = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    current.time = time.time()
    return code(device.bin_key, steps_ahead=1 if current.t() <= device.last_t else 0)


def must_prove(user):
    """Whether the admin asks this person for a second factor; read afresh, since the check
    fills the permission cache of the object it is given."""
    return two_factor.required(get_user_model().objects.get(pk=user.pk))


class Client(django.test.Client):
    """Django's test client, whose login() and force_login() sign in past both factors:
    someone who must prove a second factor gets an authenticator that verified the session,
    as after typing its code. The admin's tests thus run with the second factor on."""

    def _login(self, user, backend=None):
        # Where both login() and force_login() open the session.
        super()._login(user, backend)
        if must_prove(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
            session.save()
