"""French telephone numbers, metropolitan, overseas and Pacific: the one place that reads
what an applicant typed, stores it in E.164 and writes it back in its territory's national
format. The numbering plans are libphonenumber's (the `phonenumbers` package)."""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumbers import CountryCodeSource

# The overseas departments and collectivities dialled with a leading 0 like metropolitan
# numbers. Mayotte shares Réunion's +262 and Saint-Barthélemy and Saint-Martin share
# Guadeloupe's +590: libphonenumber tells them apart by range.
OVERSEAS_NATIONAL = ("RE", "GP", "MQ", "GF", "PM")
# Territories whose national numbers have no trunk prefix. Polynésie's have 8 digits;
# Nouvelle-Calédonie's and Wallis-et-Futuna's have 6 and overlap: 72 27 27 is both.
PACIFIC = ("PF", "NC", "WF")
# Country codes whose 9-digit numbers are dialled nationally with a leading 0.
TRUNK_ZERO = frozenset({33, 262, 508, 590, 594, 596})
FRENCH_REGIONS = frozenset({"FR", "YT", "BL", "MF", *OVERSEAS_NATIONAL, *PACIFIC})

# What people put between digits; anything else (letters, which libphonenumber would read
# as a keypad's, or an extension) is refused.
ACCEPTED = re.compile(r"[0-9+\s.\-/()]*")
SEPARATORS = re.compile(r"[\s.\-/]")

INVALID = _(
    "Saisissez un numéro de téléphone français valide, par exemple 01 23 45 67 89, "
    "0262 12 34 56 ou +687 27 12 34."
)
AMBIGUOUS = _(
    "Ce numéro peut être de Nouvelle-Calédonie, de Polynésie française ou de "
    "Wallis-et-Futuna : ajoutez l'indicatif, +687, +689 ou +681."
)


def parse_phone(value):
    """The French number `value` writes, as a `phonenumbers.PhoneNumber`; ValidationError
    with a French message otherwise."""
    text = SEPARATORS.sub("", value or "")
    if not text or not ACCEPTED.fullmatch(text):
        raise ValidationError(INVALID, code="invalid_phone")
    number = _read(text, "FR")
    if number is None:
        raise ValidationError(INVALID, code="invalid_phone")
    national_form = number.country_code_source == CountryCodeSource.FROM_DEFAULT_COUNTRY
    if national_form and not text.lstrip("(").startswith("0"):
        # No trunk 0 and no country code: a Pacific number's national form.
        candidates = _french([_read(text, region) for region in PACIFIC])
        if len({phonenumbers.region_code_for_number(n) for n in candidates}) > 1:
            raise ValidationError(AMBIGUOUS, code="ambiguous_phone")
    elif number.country_code == 33:
        candidates = _french(_plan_readings(number))
    else:
        candidates = _french([number])
    if not candidates:
        raise ValidationError(INVALID, code="invalid_phone")
    return candidates[0]


def _read(text, region):
    try:
        return phonenumbers.parse(text, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None


def _french(numbers):
    return [
        number
        for number in numbers
        if number is not None
        and phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) in FRENCH_REGIONS
    ]


def _plan_readings(number):
    """Readings of a number written the +33 plan's way (a trunk 0, or +33), best first.

    Geographic (01–05) and mobile (06–07) numbers of the overseas territories have their own
    country code, yet libphonenumber's FR metadata also accepts some of their ranges (0263,
    0269, 0596): the overseas reading goes first for those. 08 and 09 numbers stay on +33,
    and a Saint-Pierre-et-Miquelon number of 6 digits needs its +508."""
    national = str(number.national_number)
    if len(national) != 9 or national[0] not in "1234567":
        return [number]
    overseas = [_read("0" + national, region) for region in OVERSEAS_NATIONAL]
    return [*overseas, number]


def normalise_phone(value):
    """E.164 form of the French number `value` writes: '0262 40 04 04' → '+262262400404'."""
    return phonenumbers.format_number(parse_phone(value), phonenumbers.PhoneNumberFormat.E164)


def format_phone(value):
    """National form of a stored number in its own territory: '+262262400404' →
    '02 62 40 04 04', '+687271234' → '27 12 34'. The +33 plan and its overseas country codes
    dial a leading 0 before 9 digits; Saint-Pierre-et-Miquelon's and the Pacific's 6- and
    8-digit numbers are dialled as they are. French writing groups the digits in pairs (where
    libphonenumber writes '0262 40 04 04' or '27.12.34'), three first when their count is
    odd ('800 01 23 45'). What does not parse is shown as stored."""
    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        return value
    digits = phonenumbers.national_significant_number(number)
    if number.country_code in TRUNK_ZERO and len(digits) == 9:
        digits = "0" + digits
    head = 3 if len(digits) % 2 else 2
    groups = [digits[:head]] + [digits[i : i + 2] for i in range(head, len(digits), 2)]
    return " ".join(groups)


class PhoneField(forms.CharField):
    """A French phone number typed in any usual way, cleaned to E.164."""

    default_error_messages = {"invalid_phone": INVALID}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else value
