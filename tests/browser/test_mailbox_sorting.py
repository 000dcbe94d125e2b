"""A team member sorts an email the mailbox job could not place, in Chromium, with axe-core on
each screen: the "À trier" list, the email, a wrong reference, then the request's thread."""

import pytest
from playwright.sync_api import expect

from intake.lifecycle import mailbox
from intake.models import IntakeRequest
from tests import factories
from tests.browser.admin import sign_in
from tests.intake.factories import intake_request
from tests.mailbox import messages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def check(axe_check):
    """axe-core on the screen, which has one level-one heading."""

    def run(page, step):
        assert page.locator("h1").count() == 1, step
        axe_check(page, step)

    return run


def test_the_team_attaches_an_unplaced_email_to_its_request(demo_server, page, check):
    member = factories.user_in_group(
        "Équipe", "camille.agent", first_name="Camille", last_name="Agent"
    )
    request = intake_request(
        status=IntakeRequest.Status.AWAITING_APPLICANT, email="camille@example.fr"
    )
    raw = messages.reply_with_pdf(to="territoires-engagement@anct.gouv.fr", subject="Délibération")
    mailbox.receive(folder="INBOX", uid_validity=1, uid=1, size=len(raw), raw=raw)

    sign_in(page, demo_server.url, member)
    page.goto(demo_server.url + "/admin/courriels-a-trier/")
    expect(page.locator("main")).to_contain_text("camille@example.fr")
    check(page, "1-list")

    with page.expect_navigation():
        page.get_by_role("link", name="Délibération").click()
    expect(page.locator("main")).to_contain_text("Voici la délibération du conseil municipal.")
    check(page, "2-email")

    reference = page.get_by_label("Référence de la demande")
    expect(reference).to_have_value(request.reference)
    reference.fill("TE-2026-99999")
    with page.expect_navigation():
        page.get_by_role("button", name="Verser à la demande").click()
    expect(page.locator("main")).to_contain_text(
        "Aucune demande ne porte la référence TE-2026-99999."
    )
    check(page, "3-wrong-reference")

    page.get_by_label("Référence de la demande").fill(request.reference)
    with page.expect_navigation():
        page.get_by_role("button", name="Verser à la demande").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Le courriel est versé au fil de {request.reference}."
    )
    check(page, "4-sorted")

    page.goto(f"{demo_server.url}/admin/demandes/{request.pk}/")
    expect(page.locator("#thread-section")).to_contain_text(
        "Voici la délibération du conseil municipal."
    )
    expect(page.locator("#thread-section")).to_contain_text("Réponse de la collectivité")
