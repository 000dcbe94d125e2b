"""The appointment writes: taking, moving and freeing a seat of the permanence, and the
working sessions the team holds at another time (no seat: they clash only with their hosts'
other appointments).

Called by the lifecycle's commands only, inside their transaction on the locked request.
Races are settled by the database: a conditional unique constraint allows one booked
appointment per (start, seat), so of two people taking the last seat at once exactly one
commits and the other gets ``SlotUnavailable``.
"""

from datetime import datetime, timedelta
from typing import Literal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from home.typography import french_time, french_when

from ..booking import AppointmentNotBooked, HostBusy, Slot, SlotUnavailable, offered_slot
from ..models import Appointment, IntakeRequest
from ..replies import team_member_name

_CANCELLED_STATUS = {
    "applicant": Appointment.Status.CANCELLED_BY_APPLICANT,
    "team": Appointment.Status.CANCELLED_BY_TEAM,
}


def _taken_seats(slot: Slot) -> set[int]:
    return set(
        Appointment.objects.booked().filter(starts_at=slot.starts_at).values_list("seat", flat=True)
    )


def _take_lowest_free_seat(slot: Slot, write):
    """Call ``write(seat)`` with the lowest free seat; the unique constraint arbitrates races.

    Each try runs in a savepoint so that a lost race leaves the caller's transaction usable.
    Never a seat beyond the slot's seats: when all are taken, ``SlotUnavailable``.
    """
    taken = _taken_seats(slot)
    for seat in range(1, slot.seats + 1):
        if seat in taken:
            continue
        try:
            with transaction.atomic():
                return write(seat)
        except IntegrityError:
            # A concurrent booking committed this seat after we looked: try the next one.
            continue
    raise SlotUnavailable()


def _check_hosts_free(hosts, starts_at, ends_at, moving=None):
    """``HostBusy``, naming the clash, when one of ``hosts`` holds another booked appointment
    that overlaps ``starts_at``..``ends_at``. The hosts' rows are locked first, so that two
    bookings for one team member at once are checked one after the other."""
    if not hosts:
        return
    pks = sorted(host.pk for host in hosts)
    list(get_user_model().objects.select_for_update().filter(pk__in=pks).values_list("pk"))
    clashes = Appointment.objects.booked().overlapping(starts_at, ends_at).filter(hosts__in=pks)
    if moving is not None:
        clashes = clashes.exclude(pk=moving.pk)
    clash = clashes.select_related("request").order_by("starts_at").first()
    if clash is None:
        return
    host = clash.hosts.filter(pk__in=pks).order_by("pk").first()
    raise HostBusy(
        _(
            "%(host)s tient déjà un rendez-vous le %(when)s–%(end)s (%(reference)s, "
            "%(collectivite)s) : choisissez un autre moment ou une autre personne."
        )
        % {
            "host": team_member_name(host),
            "when": french_when(clash.starts_at, "l j F Y"),
            "end": french_time(clash.ends_at),
            "reference": clash.request.reference,
            "collectivite": clash.request.collectivite_label,
        }
    )


def book(
    intake_request: IntakeRequest,
    starts_at: datetime,
    kind: str = Appointment.Kind.FIRST_EXCHANGE,
    now: datetime | None = None,
    hosts=(),
) -> Appointment:
    """Take a seat at ``starts_at`` for ``intake_request``, held by ``hosts``; raises
    ``SlotUnavailable`` or ``HostBusy``."""
    with transaction.atomic():
        slot = offered_slot(starts_at, now)
        _check_hosts_free(hosts, slot.starts_at, slot.ends_at)

        def create(seat):
            return Appointment.objects.create(
                request=intake_request,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                kind=kind,
                seat=seat,
            )

        appointment = _take_lowest_free_seat(slot, create)
        appointment.hosts.set(hosts)
        return appointment


def book_session(
    intake_request: IntakeRequest, starts_at: datetime, minutes: int, hosts
) -> Appointment:
    """A working session at a time the team chooses: it takes no seat of the permanence and
    clashes only with its hosts' other appointments (``HostBusy``)."""
    ends_at = starts_at + timedelta(minutes=minutes)
    with transaction.atomic():
        _check_hosts_free(hosts, starts_at, ends_at)
        appointment = Appointment.objects.create(
            request=intake_request,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=Appointment.Kind.WORKING_SESSION,
            seat=None,
        )
        appointment.hosts.set(hosts)
    return appointment


def _locked_booked(appointment: Appointment) -> Appointment:
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if current.status != Appointment.Status.BOOKED:
        raise AppointmentNotBooked()
    return current


def reschedule(
    appointment: Appointment, new_starts_at: datetime, now: datetime | None = None
) -> Appointment:
    """Move a booked appointment to another slot, keeping its calendar UID.

    The old seat is freed and the new one taken in one transaction: if the new slot is
    unavailable (``SlotUnavailable``), the appointment stays where it was. Its own start
    changes nothing and returns it as it is.
    """
    with transaction.atomic():
        current = _locked_booked(appointment)
        if current.starts_at == new_starts_at:
            return current
        slot = offered_slot(new_starts_at, now)
        _check_hosts_free(list(current.hosts.all()), slot.starts_at, slot.ends_at, moving=current)
        sequence = current.ics_sequence + 1

        def move(seat):
            current.starts_at, current.ends_at, current.seat = slot.starts_at, slot.ends_at, seat
            current.ics_sequence = sequence
            current.save(
                update_fields=["starts_at", "ends_at", "seat", "ics_sequence", "updated_at"]
            )

        _take_lowest_free_seat(slot, move)
    appointment.refresh_from_db()
    return appointment


def move_session(appointment: Appointment, new_starts_at: datetime) -> Appointment:
    """Move a session held outside the permanence to another time, its length and calendar UID
    kept; ``HostBusy`` if one of its hosts holds another appointment then."""
    with transaction.atomic():
        current = _locked_booked(appointment)
        new_ends_at = new_starts_at + (current.ends_at - current.starts_at)
        _check_hosts_free(list(current.hosts.all()), new_starts_at, new_ends_at, moving=current)
        current.starts_at, current.ends_at = new_starts_at, new_ends_at
        current.ics_sequence += 1
        current.save(update_fields=["starts_at", "ends_at", "ics_sequence", "updated_at"])
    appointment.refresh_from_db()
    return appointment


def end(appointment: Appointment, status: str) -> Appointment:
    """Close a booked appointment (held, no-show, cancelled): its seat is free again."""
    with transaction.atomic():
        current = _locked_booked(appointment)
        current.status = status
        current.ics_sequence += 1
        current.save(update_fields=["status", "ics_sequence", "updated_at"])
    appointment.refresh_from_db()
    return appointment


def cancel(appointment: Appointment, by: Literal["applicant", "team"]) -> Appointment:
    """Cancel a booked appointment on behalf of the applicant or the team; frees its seat."""
    if by not in _CANCELLED_STATUS:
        raise ValueError(f"by must be one of {sorted(_CANCELLED_STATUS)}, not {by!r}")
    return end(appointment, _CANCELLED_STATUS[by])
