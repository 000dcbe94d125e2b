"""The report's figures against the hand-built activity of reports_fixture.py, whose answers
are worked out there by hand."""

from datetime import date

import pytest

from intake.lifecycle.delays import waits_of, working_delay
from intake.reports import figures
from intake.reports.figures import Cell, Delays
from intake.reports.periods import Period
from intake.workdays import WorkingDayIndex, working_days_between

from .reports_fixture import PERIOD, at, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    return build()


def values(cells):
    return [(cell.key, cell.label, cell.value) for cell in cells]


def rates(cells):
    return {cell.key: None if cell.rate is None else round(cell.rate * 100, 1) for cell in cells}


def test_periods():
    today = date(2026, 12, 4)
    assert Period.this_month(today) == Period("mois", date(2026, 12, 1), date(2026, 12, 31))
    last = Period.last_12_months(today)
    assert (last.start, last.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert Period.last_12_months(date(2026, 3, 15)).months[0] == date(2025, 4, 1)
    assert len(Period.last_12_months(date(2026, 3, 15)).months) == 12
    assert Period.year(2025).months[-1] == date(2025, 12, 1)
    assert PERIOD.months == [date(2026, 5, 1), date(2026, 6, 1)]
    assert PERIOD.label == "du 1 mai 2026 au 30 juin 2026"
    with pytest.raises(ValueError):
        Period.custom(date(2026, 2, 1), date(2026, 1, 31))


def test_working_delay_across_a_holiday_and_a_pause():
    # Received Thursday 7 May, decided Monday 11 May: Friday 8 May is Victoire 1945.
    assert working_delay(date(2026, 5, 7), date(2026, 5, 11), []) == 1
    # Asked Tuesday 5 May, answered Tuesday 12 May, declined Wednesday 13 May.
    waits = waits_of([("intake.ask", date(2026, 5, 5)), ("intake.reply", date(2026, 5, 12))])
    assert waits == [(date(2026, 5, 5), date(2026, 5, 12))]
    assert working_delay(date(2026, 5, 4), date(2026, 5, 13), waits) == 2
    # Still waiting when decided: the wait runs until the decision.
    waiting = waits_of([("intake.ask", date(2026, 5, 21))])
    assert working_delay(date(2026, 5, 20), date(2026, 5, 27), waiting) == 1
    # A wait that ends after the day reached counts up to it; one that starts after, not at all.
    assert working_delay(date(2026, 5, 4), date(2026, 5, 6), waits) == 1
    assert working_delay(date(2026, 5, 4), date(2026, 5, 4), waits) == 0
    # Two waits, a second question while the first waits adding nothing.
    twice = waits_of(
        [
            ("intake.ask", date(2026, 6, 1)),
            ("intake.ask", date(2026, 6, 2)),
            ("intake.resume", date(2026, 6, 3)),
            ("intake.ask", date(2026, 6, 8)),
            ("intake.reply", date(2026, 6, 10)),
        ]
    )
    assert twice == [(date(2026, 6, 1), date(2026, 6, 3)), (date(2026, 6, 8), date(2026, 6, 10))]
    # 1 → 12 June: 9 working days, 2 + 2 of them waiting.
    assert working_delay(date(2026, 6, 1), date(2026, 6, 12), twice) == 5


def test_the_working_day_index_counts_as_the_calendar_does():
    index = WorkingDayIndex(date(2025, 12, 1), date(2027, 1, 31))
    for start, end in [
        (date(2026, 5, 7), date(2026, 5, 11)),
        (date(2025, 12, 24), date(2026, 1, 2)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 3, 3), date(2026, 3, 3)),
        (date(2026, 3, 9), date(2026, 3, 2)),
    ]:
        assert index.between(start, end) == working_days_between(start, end), (start, end)
    assert index.between(date(2026, 5, 7), date(2026, 5, 11)) == 1


def test_requests_per_month(activity):
    # R9 (1 July, 00:30 in Paris) is after the period; R6 (30 June, 23:30) is in it; spam is
    # no request received.
    assert values(figures.requests_per_month(PERIOD)) == [
        ("2026-05", "mai 2026", 3),
        ("2026-06", "juin 2026", 3),
    ]


def test_requests_by_kind(activity):
    cells = figures.requests_by_kind(PERIOD)
    assert {cell.key: cell.value for cell in cells if cell.value} == {
        "commune_lt_1000": 1,
        "commune_1000_3499": 1,
        "commune_50000_plus": 1,
        "commune_unknown": 1,
        "epci": 1,
        "other": 1,
    }
    assert [cell.key for cell in cells] == [
        "commune_lt_1000",
        "commune_1000_3499",
        "commune_3500_9999",
        "commune_10000_49999",
        "commune_50000_plus",
        "commune_unknown",
        "arrondissement",
        "epci",
        "ept",
        "departement",
        "region",
        "outre_mer",
        "other",
    ]
    assert cells[0].label == "Commune de moins de 1 000 habitants"
    assert rates(cells)["epci"] == 16.7
    assert rates(cells)["ept"] == 0.0


def test_requests_by_territory(activity):
    departements = figures.requests_by_departement(PERIOD)
    assert values(departements) == [
        ("01", "Ain", 2),
        ("2A", "Corse-du-Sud", 2),
        ("971", "Guadeloupe", 1),
        ("", "Non renseigné", 1),
    ]
    assert rates(departements) == {"01": 33.3, "2A": 33.3, "971": 16.7, "": 16.7}
    # R5, typed in Corse-du-Sud, is counted in Corse.
    assert values(figures.requests_by_region(PERIOD)) == [
        ("84", "Auvergne-Rhône-Alpes", 2),
        ("94", "Corse", 2),
        ("01", "Guadeloupe", 1),
        ("", "Non renseigné", 1),
    ]


def test_outcomes(activity):
    cells = figures.outcomes(PERIOD)
    assert [(cell.key, cell.value) for cell in cells] == [
        ("accepted", 2),
        ("redirected", 1),
        ("declined", 1),
        ("duplicate", 1),
        ("withdrawn", 1),
        ("spam", 1),
        ("pending", 0),
    ]
    assert rates(cells) == {
        "accepted": 28.6,
        "redirected": 14.3,
        "declined": 14.3,
        "duplicate": 14.3,
        "withdrawn": 14.3,
        "spam": 14.3,
        "pending": 0.0,
    }
    assert figures.redirect_partners(PERIOD) == [Cell("Fondation X", "Fondation X", 1, 1.0)]


def test_delays(activity):
    decision, session = figures.delays(PERIOD)
    # To the first decision: R1 1, R2 2, R3 1, R4 7, R5 0 → 0 1 1 2 7.
    assert decision == Delays(count=5, median=1, p90=7, target=5, within_target=4)
    assert decision.within_rate == 0.8
    # To the first session held: R1 5, R4 10.
    assert session == Delays(count=2, median=7.5, p90=10, target=5, within_target=1)
    assert session.within_rate == 0.5


def test_delays_read_the_portal_target(activity):
    from home.models import PortalSettings

    settings = PortalSettings.load()
    settings.response_delay_days = 1
    settings.save()
    decision, _session = figures.delays(PERIOD)
    assert (decision.target, decision.within_target) == (1, 3)


def test_sessions(activity):
    sessions = figures.sessions(PERIOD)
    assert (sessions.held, sessions.no_show) == (4, 2)
    assert round(sessions.no_show_rate, 3) == 0.333
    assert values(sessions.per_month) == [("2026-05", "mai 2026", 2), ("2026-06", "juin 2026", 2)]
    subjects = figures.subjects(PERIOD)
    assert [(cell.key, cell.value) for cell in subjects] == [
        ("strategy", 2),
        ("opportunities", 0),
        ("coherence", 0),
        ("experts", 1),
        ("funding", 1),
    ]
    # Of the four sessions held with a record.
    assert rates(subjects) == {
        "strategy": 50.0,
        "opportunities": 0.0,
        "coherence": 0.0,
        "experts": 25.0,
        "funding": 25.0,
    }
    assert values(figures.session_partners(PERIOD)) == [
        ("Banque Y", "Banque Y", 2),
        ("Fondation X", "Fondation X", 1),
    ]


def test_accompaniments(activity):
    # End of May: R1 and R8; end of June: R1 (R4 and R8 closed in June).
    assert values(figures.active_accompaniments(PERIOD)) == [
        ("2026-05", "mai 2026", 2),
        ("2026-06", "juin 2026", 1),
    ]
    lengths = figures.accompaniment_lengths(PERIOD)
    # R4: 15 → 26 June, 11 days; R8: 15 April → 10 June, 56 days.
    assert (lengths.count, lengths.mean_days) == (2, 33.5)
    assert [cell.value for cell in lengths.closed_per_month] == [0, 2]
    # Under way at some time in May or June: R1 and R8 of the Ain, R4 of Guadeloupe.
    assert [
        (cell.key, cell.label, cell.value, cell.rate)
        for cell in figures.accompaniments_by_departement(PERIOD)
    ] == [("01", "Ain", 2, 2 / 3), ("971", "Guadeloupe", 1, 1 / 3)]


def test_satisfaction(activity):
    satisfaction = figures.satisfaction(PERIOD)
    assert (satisfaction.count, satisfaction.mean) == (2, 4.5)
    assert [(cell.key, cell.value) for cell in satisfaction.distribution] == [
        ("1", 0),
        ("2", 0),
        ("3", 0),
        ("4", 1),
        ("5", 1),
    ]
    assert satisfaction.distribution[4].label == "5 — Très utile"
    assert rates(satisfaction.distribution)["5"] == 50.0


def test_an_empty_period(activity):
    empty = figures.report(Period.custom(date(2025, 1, 1), date(2025, 1, 31)))
    assert values(empty.requests_per_month) == [("2025-01", "janvier 2025", 0)]
    assert {cell.value for cell in empty.requests_by_kind} == {0}
    assert {cell.rate for cell in empty.requests_by_kind} == {None}
    assert empty.requests_by_departement == empty.requests_by_region == []
    assert empty.redirect_partners == empty.session_partners == []
    assert empty.decision_delays == Delays(0, None, None, 5, 0)
    assert empty.decision_delays.within_rate is None
    assert (empty.sessions.held, empty.sessions.no_show_rate) == (0, None)
    assert [cell.value for cell in empty.subjects] == [0] * 5
    assert (empty.accompaniment_lengths.count, empty.accompaniment_lengths.mean_days) == (0, None)
    assert (empty.satisfaction.count, empty.satisfaction.mean) == (0, None)
    # R8 started in April 2026: nothing was under way in January 2025.
    assert [cell.value for cell in empty.active_accompaniments] == [0]


def test_the_lifecycle_records_the_pause_the_delay_leaves_out(
    monkeypatch, team_member, django_capture_on_commit_callbacks
):
    """Through the real commands: asked on Tuesday 5 May, answered from the status page on
    Tuesday 12 May, declined on Wednesday 13 May: 2 working days."""
    from django.utils import timezone

    from intake.lifecycle import moves

    from . import factories

    def on(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    on(at((5, 4), 9))
    intake_request = factories.intake_request(created_at=at((5, 4), 9))
    with django_capture_on_commit_callbacks():
        on(at((5, 5)))
        moves.ask(intake_request, by=team_member, message="Combien d'habitants ?")
        on(at((5, 12)))
        moves.applicant_writes(intake_request, body="Mille deux cents.")
        on(at((5, 13)))
        moves.decline(
            intake_request,
            by=team_member,
            reason="Hors du champ de la cellule.",
            message="Bonjour, nous ne pourrons pas vous accompagner.",
            subject="Votre demande",
        )
    decision, _session = figures.delays(PERIOD)
    assert (decision.count, decision.median) == (1, 2)


def test_the_lifecycle_stores_the_delays_as_they_happen(
    monkeypatch, team_member, django_capture_on_commit_callbacks
):
    """Received Thursday 7 May, asked the same day, answered Monday 11 May (the wait spans
    Victoire 1945 on Friday 8 May: 1 working day paused, the 11th), accepted Wednesday 13 May:
    3 working days (11, 12, 13) − 1 = 2. A session held Monday 18 May: 5 (11, 12, 13, 15, 18;
    Ascension on the 14th) − 1 = 4; one held earlier but recorded later becomes the first."""
    from django.utils import timezone

    from intake.lifecycle import commands, moves
    from intake.models import Appointment, IntakeRequest

    from . import factories
    from .reports_fixture import appointment

    def on(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    def stored():
        return IntakeRequest.objects.values_list(
            "decision_working_days", "session_working_days"
        ).get(pk=intake_request.pk)

    on(at((5, 7), 9))
    intake_request = factories.intake_request(created_at=at((5, 7), 9))
    with django_capture_on_commit_callbacks():
        on(at((5, 7), 11))
        moves.ask(intake_request, by=team_member, message="Combien d'habitants ?")
        assert stored() == (None, None)
        on(at((5, 11)))
        moves.applicant_writes(intake_request, body="Mille deux cents.")
        on(at((5, 13)))
        moves.accept(intake_request, by=team_member)
        assert stored() == (2, None)
        later = appointment(intake_request, at((5, 18), 14), Appointment.Status.BOOKED)
        earlier = appointment(intake_request, at((5, 15), 14), Appointment.Status.BOOKED)
        on(at((5, 18), 16))
        commands.record_outcome(later, by=team_member, held=True)
        assert stored() == (2, 4)
        commands.record_outcome(earlier, by=team_member, held=True)
        # 15 May: 11, 12, 13, 15 − 1 = 3.
        assert stored() == (2, 3)
        # A later decision (the accompaniment closed) is no first decision.
        on(at((5, 20)))
        moves.close(intake_request, by=team_member, summary="Bilan.", subjects=["strategy"])
    assert stored() == (2, 3)
    decision, session = figures.delays(PERIOD)
    assert (decision.count, decision.median, session.count, session.median) == (1, 2, 1, 3)


def test_the_backfill_gives_what_the_lifecycle_stores(activity):
    """The migration that added the delays, with its historical models, and the lifecycle's
    own recording of each request agree, with the values worked out in reports_fixture.py;
    R7, spam the same day, was decided at once; R8, received Wednesday 1 April, had its
    session held on Tuesday 5 May: 22 working days (Easter Monday 6 April and 1 May left
    out)."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from intake.lifecycle import delays
    from intake.lifecycle.moves import decision_actions
    from intake.models import IntakeRequest, RequestLogEntry

    def stored():
        return {
            reference: (decision, session)
            for reference, decision, session in IntakeRequest.objects.values_list(
                "reference", "decision_working_days", "session_working_days"
            )
        }

    def forget():
        IntakeRequest.objects.update(decision_working_days=None, session_working_days=None)

    expected = {
        "r1": (1, 5),
        "r2": (2, None),
        "r3": (1, None),
        "r4": (7, 10),
        "r5": (0, None),
        "r6": (None, None),
        "r7": (0, None),
        "r8": (None, 22),
    }
    forget()
    migration = importlib.import_module("intake.migrations.0033_stored_delays")
    state = MigrationLoader(connection).project_state(("intake", "0033_stored_delays"))
    migration.fill(state.apps, connection.schema_editor())
    filled = stored()
    by_reference = {activity[name].reference: value for name, value in expected.items()}
    assert {reference: filled[reference] for reference in by_reference} == by_reference
    forget()
    for intake_request in IntakeRequest.objects.all():
        first = (
            RequestLogEntry.objects.filter(
                intake_request=intake_request, action__in=decision_actions()
            )
            .order_by("timestamp")
            .first()
        )
        delays.record(intake_request, decision=first.action if first else None)
    assert stored() == filled
