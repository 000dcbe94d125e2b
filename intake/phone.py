"""French telephone numbers: validation and one normalised display form."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Overseas collectivities outside the +33 plan: Saint-Pierre-et-Miquelon, Wallis-et-Futuna,
# Nouvelle-Calédonie, Polynésie française, with their national number lengths.
OVERSEAS_PLANS = {"508": 6, "681": 6, "687": 6, "689": 8}
SEPARATORS = re.compile(r"[\s.\-/()]")

INVALID = _(
    "Saisissez un numéro de téléphone français valide, par exemple 01 23 45 67 89 ou +687 12 34 56."
)


def normalise_phone(value):
    """'0123456789', '+33 1 23 45 67 89', '0033…' → '01 23 45 67 89'; overseas plans kept
    with their prefix: '+687 12 34 56'. Raises ValidationError otherwise."""
    compact = SEPARATORS.sub("", value or "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+33"):
        compact = "0" + compact[3:]
    if re.fullmatch(r"0[1-9]\d{8}", compact):
        return " ".join(compact[i : i + 2] for i in range(0, 10, 2))
    for prefix, length in OVERSEAS_PLANS.items():
        match = re.fullmatch(rf"\+{prefix}(\d{{{length}}})", compact)
        if match:
            digits = match.group(1)
            return f"+{prefix} " + " ".join(digits[i : i + 2] for i in range(0, length, 2))
    raise ValidationError(INVALID, code="invalid_phone")
