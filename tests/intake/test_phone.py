import pytest
from django.core.exceptions import ValidationError

from intake.phone import normalise_phone


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0123456789", "01 23 45 67 89"),
        ("01.23.45.67.89", "01 23 45 67 89"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("0033612345678", "06 12 34 56 78"),
        ("0262 12 34 56", "02 62 12 34 56"),
        ("02 62 12 34 56", "02 62 12 34 56"),
        ("+687 12 34 56", "+687 12 34 56"),
        ("+689 87 12 34 56", "+689 87 12 34 56"),
        ("", None),
        ("0023456789", None),
        ("+44 20 7946 0958", None),
        ("06 12 34 56 7", None),
        ("abc", None),
    ],
)
def test_normalise_phone(raw, expected):
    if expected is None:
        with pytest.raises(ValidationError):
            normalise_phone(raw)
    else:
        assert normalise_phone(raw) == expected
