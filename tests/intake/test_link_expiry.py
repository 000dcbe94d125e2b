"""The expiry of status links, part of the retention's periodic job: the links past their
date and those of a request ended more than 30 days ago are deleted, the others kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake import periodic
from intake.lifecycle import links
from intake.models import AccessToken, IntakeRequest
from tests.intake.factories import intake_request

Status = IntakeRequest.Status


def token(request, label, *, expires_in):
    return AccessToken.objects.create(
        request=request, digest=label.ljust(64, "0"), expires_at=timezone.now() + expires_in
    )


@pytest.mark.django_db
def test_expired_links_and_those_of_requests_ended_long_ago_are_deleted(client):
    now = timezone.now()
    open_request = intake_request()
    ended_long_ago = intake_request(status=Status.CLOSED, ended_at=now - timedelta(days=31))
    ended_lately = intake_request(status=Status.CLOSED, ended_at=now - timedelta(days=29))
    token(open_request, "expired", expires_in=-timedelta(seconds=1))
    token(open_request, "fresh", expires_in=timedelta(days=10))
    token(ended_long_ago, "ended", expires_in=timedelta(days=10))
    token(ended_lately, "lately", expires_in=timedelta(days=10))

    assert links.delete_expired_links(now) == 2
    assert sorted(AccessToken.objects.values_list("digest", flat=True)) == [
        "fresh".ljust(64, "0"),
        "lately".ljust(64, "0"),
    ]
    assert links.delete_expired_links(now) == 0


@pytest.mark.django_db
def test_a_link_still_open_keeps_opening_the_status_page(client):
    request = intake_request()
    path = f"/suivi/{AccessToken.issue(request)}/"

    assert periodic.run(periodic.registry()["retention"]).result == 0
    assert client.get(path).status_code == 200
