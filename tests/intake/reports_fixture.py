"""A hand-built activity over May and June 2026, whose every figure is worked out by hand in
the comments (and asserted in test_reports*.py).

The calendar: Friday 8 May (Victoire 1945), Thursday 14 May (Ascension) and Monday 25 May
(Pentecôte) are public holidays in 2026.

- R1, a commune of 800 in the Ain (01), received Thursday 7 May, accepted Monday 11 May: 1
  working day (8 May is a holiday); first session held Monday 18 May: 5 (11, 12, 13, 15, 18);
  in progress.
- R2, a commune of 1,500 in Corse-du-Sud (2A), received Monday 4 May, asked Tuesday 5 May,
  answered Tuesday 12 May (4 days paused: 6, 7, 11, 12), declined Wednesday 13 May: 6 − 4 = 2.
- R3, an EPCI of the Ain, received Wednesday 20 May, asked Thursday 21 May, redirected
  Wednesday 27 May while waiting: 4 (21, 22, 26, 27) − 3 paused (22, 26, 27) = 1.
- R4, a commune of 60,000 in Guadeloupe (971), received Monday 1 June, taken Tuesday 2 June,
  accepted Wednesday 10 June: 7; first session held Monday 15 June: 10; closed 26 June
  (11 days).
- R5, typed, a commune of Corse-du-Sud, received Friday 5 June, a duplicate the same day: 0.
- R6, typed, no kind nor département, received Tuesday 30 June at 23:30 in Paris, withdrawn:
  no decision.
- R7, received Tuesday 9 June, spam the same day: no request received.
- R8, typed, of the Ain, received 1 April (before the period), started 15 April, closed
  10 June (56 days).
- R9, typed, of the Ain, received Wednesday 1 July at 00:30 in Paris (after the period).
"""

from datetime import date, datetime, timedelta

from home.models import Partner
from intake.lifecycle import delays
from intake.lifecycle.moves import decision_actions
from intake.models import (
    PARIS,
    Appointment,
    IntakeRequest,
    RequestLogEntry,
    SatisfactionAnswer,
    SessionRecord,
)
from intake.reports.periods import Period

from . import factories

Status = IntakeRequest.Status
PERIOD = Period.custom(date(2026, 5, 1), date(2026, 6, 30))


def at(day, hour=10, minute=0):
    return datetime(2026, *day, hour, minute, tzinfo=PARIS)


def log(intake_request, action, moment):
    RequestLogEntry.objects.log_action(intake_request, f"intake.{action}", timestamp=moment)


def appointment(intake_request, moment, status=Appointment.Status.HELD, kind=None):
    return Appointment.objects.create(
        request=intake_request,
        starts_at=moment,
        ends_at=moment + timedelta(hours=1),
        kind=kind or Appointment.Kind.WORKING_SESSION,
        status=status,
        seat=None,
    )


def fill_delays():
    delays.backfill(
        IntakeRequest.objects, RequestLogEntry.objects, Appointment.objects, decision_actions()
    )


def record(session, subjects, partners=()):
    saved = SessionRecord.objects.create(appointment=session, subjects=subjects)
    saved.partners.set(partners)
    return saved


def referential():
    make = factories.collectivite
    places = {
        "84": make("Auvergne-Rhône-Alpes", kind="region", code="84", region_code="84"),
        "94": make("Corse", kind="region", code="94", region_code="94"),
        "01r": make("Guadeloupe", kind="region", code="01", region_code="01"),
        "01": make("Ain", kind="departement", code="01", departement_code="01", region_code="84"),
        "2A": make(
            "Corse-du-Sud", kind="departement", code="2A", departement_code="2A", region_code="94"
        ),
        "971": make(
            "Guadeloupe", kind="departement", code="971", departement_code="971", region_code="01"
        ),
    }

    def commune(name, population, departement, region):
        return make(
            name,
            population=population,
            departement_code=departement,
            departement_name=places[departement].name,
            region_code=region,
        )

    places["small"] = commune("Petiteville", 800, "01", "84")
    places["middle"] = commune("Moyenneville", 1500, "2A", "94")
    places["large"] = commune("Grandeville", 60000, "971", "01")
    places["epci"] = make(
        "CC du Haut-Bugey",
        kind="epci",
        code="200042935",
        departement_code="01",
        departement_name="Ain",
        region_code="84",
    )
    return places


def build():
    """The activity of the table above; returns its requests by name."""
    places = referential()
    fondation = Partner.objects.create(name="Fondation X", kind="funder")
    banque = Partner.objects.create(name="Banque Y", kind="funder")
    made = factories.intake_request

    r1 = made(
        collectivite=places["small"],
        created_at=at((5, 7)),
        status=Status.IN_PROGRESS,
        started_on=date(2026, 5, 18),
    )
    log(r1, "take", at((5, 8)))
    log(r1, "accept", at((5, 11), 9))

    r2 = made(collectivite=places["middle"], created_at=at((5, 4), 9), status=Status.DECLINED)
    log(r2, "ask", at((5, 5)))
    log(r2, "reply", at((5, 12)))
    log(r2, "decline", at((5, 13)))

    r3 = made(
        collectivite=places["epci"],
        created_at=at((5, 20)),
        status=Status.REDIRECTED,
        partner=fondation,
    )
    log(r3, "ask", at((5, 21)))
    log(r3, "redirect", at((5, 27)))

    r4 = made(
        collectivite=places["large"],
        created_at=at((6, 1)),
        status=Status.CLOSED,
        started_on=date(2026, 6, 15),
        ended_at=at((6, 26), 16),
    )
    log(r4, "take", at((6, 2)))
    log(r4, "accept", at((6, 10)))
    # A later decision is no first decision.
    log(r4, "close", at((6, 26), 16))

    r5 = made(
        collectivite_kind="commune",
        collectivite_departement="2A",
        created_at=at((6, 5)),
        status=Status.DUPLICATE,
    )
    log(r5, "duplicate", at((6, 5), 15))

    r6 = made(
        collectivite_kind="",
        collectivite_departement="",
        created_at=at((6, 30), 23, 30),
        status=Status.WITHDRAWN,
        ended_at=at((6, 30), 23, 45),
    )
    log(r6, "withdraw", at((6, 30), 23, 45))

    r7 = made(created_at=at((6, 9)), status=Status.SPAM)
    log(r7, "spam", at((6, 9), 11))

    r8 = made(
        collectivite_departement="01",
        created_at=at((4, 1)),
        status=Status.CLOSED,
        started_on=date(2026, 4, 15),
        ended_at=at((6, 10), 12),
    )
    r9 = made(collectivite_departement="01", created_at=at((7, 1), 0, 30))

    # Sessions: held in May (R8 5 May, R1 18 May) and June (R4 15 and 22 June); R1 missed
    # one on 1 June; a cancelled one and a booked one count for nothing.
    record(appointment(r8, at((5, 5), 14)), [])
    record(appointment(r1, at((5, 18), 14)), ["strategy", "funding"], [fondation, banque])
    record(appointment(r4, at((6, 15), 14)), ["strategy"], [banque])
    record(appointment(r4, at((6, 22), 14)), ["experts"])
    record(appointment(r1, at((6, 1), 14), Appointment.Status.NO_SHOW), ["coherence"], [banque])
    appointment(r1, at((5, 6), 14), Appointment.Status.CANCELLED_BY_TEAM)
    appointment(r1, at((6, 29), 14), Appointment.Status.BOOKED)
    # R4's first exchange, before its acceptance, is not a session held: it was missed.
    appointment(r4, at((6, 3), 14), Appointment.Status.NO_SHOW, Appointment.Kind.FIRST_EXCHANGE)

    SatisfactionAnswer.objects.create(request=r4, score=5, answered_at=at((6, 27)))
    SatisfactionAnswer.objects.create(request=r8, score=4, answered_at=at((6, 11)))
    SatisfactionAnswer.objects.create(request=r9, score=1, answered_at=at((7, 2)))
    # Written around the lifecycle, as before the delays were stored: filled as the
    # migration that added them did.
    fill_delays()
    return {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "r5": r5, "r6": r6, "r7": r7, "r8": r8}
