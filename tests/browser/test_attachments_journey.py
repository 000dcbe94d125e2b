"""Files both ways, in Chromium with axe-core: the applicant attaches a PDF on the status page,
the team sees one new message in the queue, opens the request (the marker clears), replies
with a file, and the applicant downloads it from the status page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.admin import sign_in, submit_form
from tests.intake.files import PDF

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REPORT = PDF.replace(b"/Count 0", b"/Count 0/Title(Compte rendu)")


def test_a_pdf_each_way_and_the_new_message_marker(team_server, page, axe_check):
    server, member, submission = team_server
    request = submission.intake_request
    status_page = f"{server.url}/suivi/{submission.token}/"

    applicant = page.context.browser.new_context(locale="fr-FR").new_page()
    applicant.goto(status_page)
    applicant.get_by_label("Votre message à l'équipe").fill("Voici la délibération du conseil.")
    applicant.get_by_label("Pièces jointes").set_input_files(
        {"name": "Délibération.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with applicant.expect_navigation():
        applicant.get_by_role("button", name="Envoyer le message").click()
    main = applicant.locator("main")
    expect(main).to_contain_text("Votre message est transmis à l'équipe.")
    expect(main.get_by_role("link", name=re.compile(r"^Délibération\.pdf PDF"))).to_be_visible()
    axe_check(applicant, "1-status-page-with-file")

    sign_in(page, server.url, member)
    expect(page.locator("#intake_unread-section")).to_contain_text("1 demande")
    page.goto(server.url + "/admin/demandes/")
    tab = page.get_by_role("link", name="Nouveaux messages 1")
    with page.expect_navigation():
        tab.click()
    row = page.locator("tbody tr", has_text=request.reference)
    expect(row).to_contain_text("Nouveau message")
    axe_check(page, "2-queue-new-messages")

    with page.expect_navigation():
        row.get_by_role("link", name=re.compile(request.reference)).click()
    thread = page.locator("#thread-section")
    expect(thread).to_contain_text("Voici la délibération du conseil.")
    expect(thread.locator(".w-status--label", has_text="Nouveau")).to_have_count(1)
    with page.expect_download() as received:
        thread.get_by_role("link", name="Délibération.pdf").click()
    assert received.value.suggested_filename == "Délibération.pdf"
    assert Path(received.value.path()).read_bytes() == PDF
    axe_check(page, "3-request-with-file")

    composer = page.locator("#composer-section")
    composer.get_by_label("Objet du courriel").fill("Compte rendu de notre échange")
    composer.get_by_label("Message à la collectivité").fill("Le compte rendu est joint.")
    composer.get_by_label("Pièces jointes").set_input_files(
        {"name": "compte-rendu.pdf", "mimeType": "application/pdf", "buffer": REPORT}
    )
    submit_form(page, "Envoyer le message")
    expect(thread).to_contain_text("Le compte rendu est joint.")
    expect(thread.get_by_role("link", name="compte-rendu.pdf")).to_be_visible()
    # Read: the marker is gone from the thread and from the queue.
    expect(thread.locator(".w-status--label", has_text="Nouveau")).to_have_count(0)
    page.goto(server.url + "/admin/demandes/")
    expect(page.get_by_role("link", name="Nouveaux messages 0")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Nouveau message")

    applicant.reload()
    link = applicant.locator("main").get_by_role("link", name=re.compile(r"^compte-rendu\.pdf"))
    with applicant.expect_download() as downloaded:
        link.click()
    assert downloaded.value.suggested_filename == "compte-rendu.pdf"
    assert Path(downloaded.value.path()).read_bytes() == REPORT
    applicant.context.close()
