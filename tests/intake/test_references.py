"""References: TE-YYYY-NNNNN, unique and sequential within the year."""

import threading

import pytest
from django.db import connection, transaction

from intake.models import ReferenceCounter


@pytest.mark.django_db
def test_references_are_sequential_and_restart_each_year():
    with transaction.atomic():
        assert ReferenceCounter.next_reference(2026) == "TE-2026-00001"
        assert ReferenceCounter.next_reference(2026) == "TE-2026-00002"
        assert ReferenceCounter.next_reference(2027) == "TE-2027-00001"


# Skipped before the transactional fixture runs: its flush would otherwise recreate the content
# types under other ids, and the next test restoring a serialized database would fail.
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_references_never_collide():
    results, barrier = [], threading.Barrier(8)

    def take():
        barrier.wait()
        with transaction.atomic():
            results.append(ReferenceCounter.next_reference(2030))
        connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [f"TE-2030-{n:05d}" for n in range(1, 9)]
