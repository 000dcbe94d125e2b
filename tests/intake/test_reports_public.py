"""The public subset of the report: the same figures as the team's, never a name, and no
count under 5 (it reads "< 5"; the départements under 5 are grouped)."""

from datetime import timedelta

import pytest

from intake.reports import figures
from intake.reports.public import SMALL, PublicCell, masked, public_figures

from . import factories
from .reports_fixture import PERIOD, at, build

pytestmark = pytest.mark.django_db


def test_the_marker():
    assert str(SMALL) == "< 5"
    assert [masked(n) for n in (0, 1, 4, 5, 12)] == [SMALL, SMALL, SMALL, 5, 12]


def test_counts_under_5_are_hidden():
    build()
    public = public_figures(PERIOD)
    assert public.target_days == 5
    assert public.totals == {
        "received": 6,
        "answered_within_target": SMALL,
        "accompaniments_under_way": SMALL,
        "accompaniments_closed": SMALL,
        "sessions_held": SMALL,
    }
    assert [(month.key, month.received, month.sessions_held) for month in public.months] == [
        ("2026-05", SMALL, SMALL),
        ("2026-06", SMALL, SMALL),
    ]
    assert {cell.value for cell in public.kinds} == {SMALL}
    assert {cell.value for cell in public.regions} == {SMALL}
    # Every département has fewer than 5: none is listed, the three together make 5.
    assert public.departements == []
    assert public.small_departements == ["01", "2A", "971"]
    assert public.other_departements == 5
    assert (public.satisfaction_count, public.satisfaction_mean) == (SMALL, None)
    assert {cell.value for cell in public.satisfaction} == {SMALL}
    text = repr(public)
    for name in ("Petiteville", "Moyenneville", "Grandeville", "Haut-Bugey", "Fondation", "Banque"):
        assert name not in text


def test_counts_of_5_or_more_are_those_of_the_report():
    build()
    for minutes in range(5):
        factories.intake_request(
            collectivite_departement="01", created_at=at((5, 15)) + timedelta(minutes=minutes)
        )
    public = public_figures(PERIOD)
    report = figures.report(PERIOD)
    assert [month.received for month in public.months] == [8, SMALL]
    assert [cell.value for cell in report.requests_per_month] == [8, 3]
    assert public.departements == [PublicCell("01", "Ain", 7)]
    assert public.small_departements == ["2A", "971"]
    assert public.other_departements == SMALL
    assert [cell for cell in public.regions if cell.value is not SMALL] == [
        PublicCell("84", "Auvergne-Rhône-Alpes", 7)
    ]
    assert public.totals["received"] == report.received == 11


def test_the_last_12_months_by_default():
    public = public_figures()
    assert len(public.months) == 12
    assert public.totals["received"] is SMALL
