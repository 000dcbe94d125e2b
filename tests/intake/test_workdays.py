"""The French working-day calendar and the team's response clock, in working days: weekends,
public holidays (Easter Monday, 14 July…) and the pause while the applicant is asked."""

from datetime import date, datetime

import pytest
from dateutil.easter import easter as reference_easter
from django.utils import timezone

from intake import workdays
from intake.booking import PARIS
from intake.models import IntakeRequest
from intake.workdays import add_working_days, is_working_day, working_days_between

Status = IntakeRequest.Status


@pytest.mark.parametrize(
    "year, easter",
    [
        (1943, date(1943, 4, 25)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
        # The years where the correction for an epact of 28 or 29 moves Easter a week back.
        (1954, date(1954, 4, 18)),
        (1981, date(1981, 4, 19)),
        (2049, date(2049, 4, 18)),
        (2076, date(2076, 4, 19)),
        (2106, date(2106, 4, 18)),
        (2133, date(2133, 4, 19)),
        (3165, date(3165, 4, 18)),  # the first year the correction's threshold is met exactly
        # Century years, where the solar and lunar corrections change.
        (1900, date(1900, 4, 15)),
        (2000, date(2000, 4, 23)),
        (2100, date(2100, 3, 28)),
        (2200, date(2200, 4, 6)),
    ],
)
def test_easter_sunday(year, easter):
    assert workdays.easter_sunday(year) == easter


def test_easter_sunday_agrees_with_a_reference_over_three_centuries():
    years = range(1900, 2200)
    assert {year: workdays.easter_sunday(year) for year in years} == {
        year: reference_easter(year) for year in years
    }


def test_the_movable_holidays_of_a_corrected_year():
    holidays = workdays.french_public_holidays(2049)  # Easter on 18 April, not 25
    assert holidays[date(2049, 4, 19)] == "Lundi de Pâques"
    assert holidays[date(2049, 5, 27)] == "Ascension"
    assert holidays[date(2049, 6, 7)] == "Lundi de Pentecôte"
    assert len(holidays) == 11


def test_french_public_holidays_2026():
    holidays = workdays.french_public_holidays(2026)
    assert sorted(holidays) == [
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]
    assert holidays[date(2026, 4, 6)] == "Lundi de Pâques"
    assert holidays[date(2026, 5, 14)] == "Ascension"
    assert holidays[date(2026, 5, 25)] == "Lundi de Pentecôte"


def test_french_public_holidays_2027():
    assert sorted(workdays.french_public_holidays(2027)) == [
        date(2027, 1, 1),
        date(2027, 3, 29),
        date(2027, 5, 1),
        date(2027, 5, 6),
        date(2027, 5, 8),
        date(2027, 5, 17),
        date(2027, 7, 14),
        date(2027, 8, 15),
        date(2027, 11, 1),
        date(2027, 11, 11),
        date(2027, 12, 25),
    ]


def test_working_days_skip_weekends():
    friday, monday = date(2026, 11, 27), date(2026, 11, 30)
    assert not is_working_day(date(2026, 11, 28))
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, monday) == 1
    assert add_working_days(friday, 1) == monday
    assert add_working_days(friday, 5) == date(2026, 12, 4)
    assert add_working_days(friday, 0) == friday


def test_working_days_skip_easter_monday():
    # Maundy Thursday 2 April 2026 + 2 working days: Friday 3, then Tuesday 7 (6 is Easter Monday).
    assert not is_working_day(date(2026, 4, 6))
    assert add_working_days(date(2026, 4, 2), 2) == date(2026, 4, 7)
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 2


def test_working_days_skip_the_fourteenth_of_july():
    # 14 July 2027 is a Wednesday.
    assert not is_working_day(date(2027, 7, 14))
    assert add_working_days(date(2027, 7, 12), 5) == date(2027, 7, 20)
    assert working_days_between(date(2027, 7, 13), date(2027, 7, 15)) == 1


def request_received_on(day, target=5, status=Status.SUBMITTED):
    request = IntakeRequest(
        status=status, created_at=datetime.combine(day, datetime.min.time(), tzinfo=PARIS)
    )
    request.start_response_clock(day, target)
    return request


def test_the_clock_counts_working_days_across_a_weekend():
    request = request_received_on(date(2026, 11, 26))  # a Thursday: due Thursday 3 December
    assert request.response_due_on == date(2026, 12, 3)
    cases = [
        (date(2026, 11, 26), "on_time", 0),
        (date(2026, 11, 30), "on_time", 2),  # Friday, then Monday: the weekend does not count
        (date(2026, 12, 3), "due_today", 5),
        (date(2026, 12, 4), "late", 6),
    ]
    for today, state, age in cases:
        clock = request.response_clock(today)
        assert (clock.state, clock.age, clock.target, clock.due_on) == (
            state,
            age,
            5,
            date(2026, 12, 3),
        ), today


def test_the_clock_skips_easter_monday_and_the_fourteenth_of_july():
    easter = request_received_on(date(2026, 4, 2))  # Thursday before Easter
    assert easter.response_due_on == date(2026, 4, 10)
    assert easter.response_clock(date(2026, 4, 7)).age == 2
    july = request_received_on(date(2027, 7, 12))
    assert july.response_due_on == date(2027, 7, 20)
    assert july.response_clock(date(2027, 7, 16)).age == 3


def test_the_clock_pauses_while_the_applicant_is_asked():
    request = request_received_on(date(2026, 11, 30))  # Monday: due Monday 7 December
    request.status = Status.AWAITING_APPLICANT
    request.pause_response_clock(date(2026, 12, 1))
    paused = request.response_clock(date(2026, 12, 10))
    assert (paused.state, paused.age) == ("paused", 1)
    request.status = Status.IN_REVIEW
    request.resume_response_clock(date(2026, 12, 8))  # 5 working days of waiting
    assert (request.paused_on, request.paused_working_days) == (None, 5)
    assert request.response_due_on == date(2026, 12, 14)
    clock = request.response_clock(date(2026, 12, 14))
    assert (clock.state, clock.age) == ("due_today", 5)


def test_the_clock_stops_at_the_decision():
    request = request_received_on(date(2026, 11, 30))
    request.status = Status.ACCEPTED
    request.decided_at = datetime(2026, 12, 2, 16, tzinfo=PARIS)
    clock = request.response_clock(date(2027, 1, 15))
    assert (clock.state, clock.age) == ("answered", 2)


@pytest.mark.django_db
def test_late_and_due_querysets_agree_with_the_clock():
    from tests.intake.factories import intake_request

    today = timezone.localdate()
    late = intake_request(response_due_on=date(2020, 1, 6), clock_started_on=date(2020, 1, 1))
    due = intake_request(response_due_on=today, clock_started_on=today)
    waiting = intake_request(
        status=Status.AWAITING_APPLICANT,
        response_due_on=date(2020, 1, 6),
        clock_started_on=date(2020, 1, 1),
    )
    decided = intake_request(
        status=Status.ACCEPTED, response_due_on=date(2020, 1, 6), clock_started_on=date(2020, 1, 1)
    )
    assert list(IntakeRequest.objects.late(today)) == [late]
    assert list(IntakeRequest.objects.due_on(today)) == [due]
    assert waiting not in IntakeRequest.objects.on_time(today)
    assert decided not in IntakeRequest.objects.late(today)
