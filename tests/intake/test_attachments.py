"""Attachments both ways: the type read from the content, at most 5 files of 10 MB, stored
outside the public media, downloaded by the team or through the applicant's own link only;
and who wrote: an applicant's message marks the request until a team member reads it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake import attachments
from intake.lifecycle import commands
from intake.models import Attachment, IntakeRequest, RequestMessage
from tests.html_validity import assert_valid_html, vnu_command
from tests.intake.conftest import sent_to
from tests.intake.factories import intake_request, status_link
from tests.intake.files import (
    OLE,
    PDF,
    image,
    office_open_xml,
    opendocument,
    plain_zip,
    upload,
)

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status
REFUSED_KIND = "n'est pas un format accepté : PDF, document bureautique ou image."
# 1.5 MiB: its size reads "1,5 Mio".
PDF_1_5_MB = PDF + b"%" * (1536 * 1024 - len(PDF))


@pytest.fixture
def client(committing_client):
    return committing_client


@pytest.fixture
def team_client(client, team_member):
    client.force_login(team_member)
    return client


@pytest.fixture
def request_(submitted):
    return submitted.intake_request


def status_url(submitted):
    return f"/suivi/{submitted.token}/"


def page_url(intake_request):
    return f"/admin/demandes/{intake_request.pk}/"


def write(client, submitted, body, *files):
    return client.post(
        status_url(submitted),
        {"action": "message", "message-body": body, "message-files": list(files)},
    )


def field_error(html, field_id):
    found = re.search(
        rf'<div id="{field_id}-desc-error">.*?<li class="fr-error-text">\s*(.*?)\s*</li>',
        html,
        re.S,
    )
    return found and found.group(1)


# What a file is


@pytest.mark.parametrize(
    ("name", "content", "expected", "label"),
    [
        ("délibération.pdf", PDF, "application/pdf", "PDF"),
        ("plan.png", image("PNG"), "image/png", "PNG"),
        ("photo.jpg", image("JPEG"), "image/jpeg", "JPEG"),
        ("affiche.gif", image("GIF"), "image/gif", "GIF"),
        (
            "note.docx",
            office_open_xml("word", "document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word",
        ),
        (
            "budget.xlsx",
            office_open_xml("xl", "workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel",
        ),
        (
            "atelier.pptx",
            office_open_xml("ppt", "presentation.xml"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint",
        ),
        (
            "charte.odt",
            opendocument("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
            "OpenDocument texte",
        ),
        (
            "suivi.ods",
            opendocument("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
            "OpenDocument tableur",
        ),
        ("ancien.doc", OLE, "application/msword", "Word"),
        ("ancien.XLS", OLE, "application/vnd.ms-excel", "Excel"),
        # The content decides, whatever the name says.
        ("scan.jpeg.pdf", image("PNG"), "image/png", "PNG"),
        ("sans-extension", PDF, "application/pdf", "PDF"),
    ],
)
def test_the_type_is_read_from_the_content(name, content, expected, label):
    assert attachments.validate(name, content) == expected
    assert attachments.kind_label(expected) == label


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("devis.pdf", b"Ceci est un texte, pas un PDF."),
        ("rapport.docx", plain_zip()),  # an archive is not a document
        ("page.png", b"<html><script>alert(1)</script></html>"),
        ("programme.pdf", b"MZ\x90\x00" + bytes(60)),  # a Windows program
        ("macro.exe", OLE),  # the Office container, but not named as a document
        ("faux.odt", opendocument("application/x-shellscript")),
        ("vide.pdf", b""),
        ("cassé.docx", b"PK\x03\x04" + bytes(40)),  # a ZIP header over nothing
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(name, content):
    with pytest.raises(attachments.AttachmentRefused) as refused:
        attachments.validate(name, content)
    assert str(refused.value) == f"« {name} » {REFUSED_KIND}"


def test_10_mb_is_the_most_a_file_may_weigh():
    at_limit = PDF + b"%" * (attachments.MAX_SIZE - len(PDF))
    assert attachments.validate("gros.pdf", at_limit) == "application/pdf"
    with pytest.raises(attachments.AttachmentRefused) as refused:
        attachments.validate("trop-gros.pdf", at_limit + b"%")
    assert str(refused.value) == (
        "« trop-gros.pdf » dépasse 10 Mo : envoyez un fichier plus léger."
    )


def test_stored_files_are_private_and_named_by_the_portal(request_):
    message = RequestMessage.objects.create(
        request=request_, author=RequestMessage.Author.APPLICANT, body="Voici."
    )
    [stored] = attachments.store(message, [("C:\\Users\\marie\\Bureau\\devis 2027.pdf", PDF)])
    assert (stored.name, stored.content_type, stored.size) == (
        "devis 2027.pdf",
        "application/pdf",
        len(PDF),
    )
    path = Path(stored.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert re.fullmatch(r"[0-9a-f]{32}", path.name)  # not the applicant's name
    assert path.read_bytes() == PDF


def test_a_message_carries_at_most_5_files(request_):
    message = RequestMessage.objects.create(
        request=request_, author=RequestMessage.Author.APPLICANT, body="Voici."
    )
    with pytest.raises(attachments.AttachmentRefused) as refused:
        attachments.store(message, [(f"{n}.pdf", PDF) for n in range(6)])
    assert str(refused.value) == "Un message porte au plus 5 pièces jointes."
    assert not Attachment.objects.exists()
    assert len(attachments.store(message, [(f"{n}.pdf", PDF) for n in range(5)])) == 5


# The applicant's side


def test_the_applicant_attaches_files_to_a_message(client, submitted, team_member):
    request = submitted.intake_request
    commands.take(request, by=team_member)
    mail.outbox.clear()
    response = write(
        client,
        submitted,
        "Voici la délibération et le plan.",
        upload("Délibération.pdf", PDF_1_5_MB, "application/pdf"),
        upload("plan.png", image("PNG"), "image/png"),
    )
    assert response.status_code == 302
    message = request.messages.get(author=RequestMessage.Author.APPLICANT)
    assert [(a.name, a.content_type, a.size) for a in message.attachments.all()] == [
        ("Délibération.pdf", "application/pdf", len(PDF_1_5_MB)),
        ("plan.png", "image/png", len(image("PNG"))),
    ]
    pdf, png = message.attachments.all()

    html = client.get(status_url(submitted)).content.decode()
    assert (
        f'<a class="fr-link fr-link--download" href="/suivi/{submitted.token}/pieces-jointes/'
        f'{pdf.pk}/" download>Délibération.pdf <span class="fr-link__detail">PDF – 1,5\xa0Mio'
        "</span></a>"
    ) in html
    assert f"/suivi/{submitted.token}/pieces-jointes/{png.pk}/" in html

    # The assignee hears of it, with the files named and the request's page to get them.
    [notice] = sent_to("camille.agent@example.org")
    assert "Voici la délibération et le plan.\n\nPièces jointes, à télécharger depuis la page " in (
        notice.body
    )
    assert "- Délibération.pdf (PDF – 1,5\xa0Mio)\n- plan.png (PNG – " in notice.body
    assert notice.attachments == []  # the files stay in the portal
    html_part = notice.alternatives[0][0]
    assert re.search(
        rf'<a href="https?://[^/"]+/admin/demandes/{request.pk}/">la page de la demande</a>',
        html_part,
    )
    assert "<li>Délibération.pdf (PDF – 1,5\xa0Mio)</li>" in html_part


def test_a_refused_file_keeps_the_message_and_saves_nothing(client, submitted):
    response = write(
        client,
        submitted,
        "Voici le devis signé.",
        upload("devis.pdf", b"pas un pdf", "application/pdf"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "id_message-files") == (
        "« devis.pdf » n&#x27;est pas un format accepté : PDF, document bureautique ou image."
    )
    assert "Voici le devis signé.</textarea>" in html
    assert not RequestMessage.objects.exists()
    assert not Attachment.objects.exists()
    assert mail.outbox == []


def test_six_files_are_refused_at_the_field(client, submitted):
    files = [upload(f"page-{n}.pdf", PDF) for n in range(6)]
    html = write(client, submitted, "Les six pages.", *files).content.decode()
    assert field_error(html, "id_message-files") == (
        "Joignez 5 fichiers au plus : vous en avez choisi 6."
    )
    assert not RequestMessage.objects.exists()


def test_an_empty_file_is_refused_at_the_field(client, submitted):
    response = write(client, submitted, "Le fichier.", upload("vide.pdf", b""))
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_message-files") == (
        "Le fichier soumis est vide."
    )
    assert not RequestMessage.objects.exists()


def test_a_message_without_files_is_sent_as_before(client, submitted):
    assert write(client, submitted, "Une simple question.").status_code == 302
    message = submitted.intake_request.messages.get()
    assert (message.body, message.attachments.count()) == ("Une simple question.", 0)


def test_the_status_page_form_posts_files(client, submitted):
    html = client.get(status_url(submitted)).content.decode()
    form = html.split('value="message"', 1)[0].rsplit("<form", 1)[1]
    assert 'enctype="multipart/form-data"' in form
    # The other forms post no file.
    withdraw = html.split('value="withdraw"', 1)[0].rsplit("<form", 1)[1]
    assert "enctype" not in withdraw


# Downloads


@pytest.fixture
def attached(client, submitted):
    write(client, submitted, "Voici.", upload("Délibération du 12 novembre.pdf", PDF))
    return submitted.intake_request.messages.get().attachments.get()


def test_the_applicant_downloads_through_their_own_link(client, submitted, attached):
    response = client.get(f"{status_url(submitted)}pieces-jointes/{attached.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''D%C3%A9lib%C3%A9ration%20du%2012%20novembre.pdf"
    )
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_other_link_opens_the_file(client, submitted, attached):
    other = intake_request(reference="TE-2026-09999")
    other_link = status_link(other)
    response = client.get(f"{other_link}pieces-jointes/{attached.pk}/")
    assert response.status_code == 404
    assert b"%PDF" not in response.content
    unknown = client.get(f"/suivi/{'x' * 43}/pieces-jointes/{attached.pk}/")
    assert unknown.status_code == 404
    assert "Ce lien de suivi ne fonctionne pas" in unknown.content.decode()
    # Nor is the public media the file's place.
    public = client.get(f"{settings.MEDIA_URL}{attached.file.name}", follow=True)
    assert public.status_code == 404


def test_a_file_gone_from_the_disk_is_a_404(client, submitted, attached):
    Path(attached.file.path).unlink()
    assert client.get(f"{status_url(submitted)}pieces-jointes/{attached.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("editor", 404), ("moderator", 404), ("team", 200)],
)
def test_only_the_team_downloads_from_the_admin(
    client, attached, role, expected, editor, moderator, team_member
):
    user = {"anonymous": None, "editor": editor, "moderator": moderator, "team": team_member}[role]
    if user is not None:
        client.force_login(user)
    url = f"{page_url(attached.message.request)}pieces-jointes/{attached.pk}/"
    response = client.get(url)
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment; ")
    elif expected == 302:
        assert response["Location"] == f"/admin/login/?next={url}"
    else:
        assert b"%PDF" not in response.content


def test_a_file_is_reached_only_through_its_own_request(team_client, attached):
    other = intake_request(reference="TE-2026-09999")
    response = team_client.get(f"{page_url(other)}pieces-jointes/{attached.pk}/")
    assert response.status_code == 404


# The team's side


def test_the_team_sends_files_the_applicant_downloads(team_client, submitted, team_member):
    request = submitted.intake_request
    commands.take(request, by=team_member)
    mail.outbox.clear()
    response = team_client.post(
        page_url(request),
        {
            "action": "write",
            "subject": "Compte rendu",
            "message": "Vous trouverez le compte rendu ci-joint.",
            "files": [upload("Compte rendu.docx", office_open_xml("word", "document.xml"))],
        },
    )
    assert response.status_code == 302
    message = request.messages.get(body="Vous trouverez le compte rendu ci-joint.")
    assert (message.author, message.sender) == (RequestMessage.Author.TEAM, team_member)
    [attachment] = message.attachments.all()
    assert attachment.name == "Compte rendu.docx"

    # The email names the file and sends the applicant to the status page for it.
    [email] = sent_to(request.email)
    base, link = re.search(r"(https?://[^/\s]+)(/suivi/[^/\s]+/)", email.body).groups()
    assert (
        "Vous trouverez le compte rendu ci-joint.\n\n"
        "Pièce jointe, à télécharger depuis votre page de suivi :\n"
        f"- Compte rendu.docx (Word – {attachment.size}\xa0octets)\n"
        f"{base}{link}\n"
    ) in email.body
    assert email.attachments == []
    html = team_client.get(link).content.decode()
    assert f"{link}pieces-jointes/{attachment.pk}/" in html
    download = team_client.get(f"{link}pieces-jointes/{attachment.pk}/")
    assert b"".join(download.streaming_content) == office_open_xml("word", "document.xml")

    # The team's thread links the file too.
    page = team_client.get(page_url(request)).content.decode()
    assert f'href="/admin/demandes/{request.pk}/pieces-jointes/{attachment.pk}/" download>' in page


def test_a_refused_file_keeps_the_team_s_message(team_client, request_):
    response = team_client.post(
        page_url(request_),
        {
            "action": "write",
            "subject": "Compte rendu",
            "message": "Le compte rendu, en pièce jointe.",
            "files": [upload("compte-rendu.pdf", b"texte")],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "« compte-rendu.pdf » n&#x27;est pas un format accepté" in html
    assert "Le compte rendu, en pièce jointe.</textarea>" in html
    assert not request_.messages.exists()
    assert mail.outbox == []


def test_the_composer_posts_files(team_client, request_):
    html = team_client.get(page_url(request_)).content.decode()
    composer = html.split('name="action" value="write"', 1)[0].rsplit("<form", 1)[1]
    assert 'enctype="multipart/form-data"' in composer


# Who wrote


def tabs(team_client):
    response = team_client.get("/admin/demandes/")
    return {str(tab["label"]): tab["count"] for tab in response.context["tabs"]}


def test_an_applicant_message_shows_until_a_team_member_reads_it(
    client, team_client, submitted, team_member
):
    request = submitted.intake_request
    commands.take(request, by=team_member)
    write(client, submitted, "Une première question.")
    write(client, submitted, "Et une seconde.")
    request.refresh_from_db()
    first = request.messages.filter(author=RequestMessage.Author.APPLICANT).earliest("created_at")
    assert request.unread_since == first.created_at  # the oldest unread one

    assert tabs(team_client)["Nouveaux messages"] == 1
    unread = team_client.get("/admin/demandes/", {"vue": "nouveaux-messages"})
    assert [row.reference for row in unread.context["object_list"]] == [request.reference]
    marker = re.compile(r'<span class="w-status w-status--label">\s*Nouveau message\s*</span>')
    assert marker.search(unread.content.decode())
    # "Mes demandes" and the dashboard show it too.
    mine = team_client.get("/admin/demandes/", {"vue": "miennes"}).content.decode()
    assert marker.search(mine)
    dashboard = team_client.get("/admin/").content.decode()
    panel = dashboard.split(">Nouveaux messages", 1)[1].split("</section>", 1)[0]
    assert f"{request.reference} — {request.collectivite_label}</a>" in panel
    assert marker.search(panel)

    # Opening the request reads it: both messages are marked in the thread this once.
    page = team_client.get(page_url(request))
    assert [
        (item.object.body, item.unread)
        for item in page.context["thread"]
        if item.kind == "message" and item.object.author == RequestMessage.Author.APPLICANT
    ] == [("Une première question.", True), ("Et une seconde.", True)]
    # The team's own message (taking the request) is not news.
    assert [item.unread for item in page.context["thread"] if item.kind == "message"] == [
        False,
        True,
        True,
    ]
    new = r'<span class="w-status w-status--label">\s*Nouveau\s*</span>'
    assert len(re.findall(new, page.content.decode())) == 2
    request.refresh_from_db()
    assert request.unread_since is None
    again = team_client.get(page_url(request))
    assert not any(item.unread for item in again.context["thread"])
    assert tabs(team_client)["Nouveaux messages"] == 0
    assert not marker.search(
        team_client.get("/admin/demandes/", {"vue": "miennes"}).content.decode()
    )


def test_only_what_came_after_the_last_reading_is_new(client, team_client, submitted):
    write(client, submitted, "Avant.")
    team_client.get(page_url(submitted.intake_request))
    write(client, submitted, "Après.")
    page = team_client.get(page_url(submitted.intake_request))
    marked = {
        item.object.body: item.unread for item in page.context["thread"] if item.kind == "message"
    }
    assert marked == {"Avant.": False, "Après.": True}


def test_the_team_s_own_messages_mark_nothing(team_client, request_, team_member):
    commands.team_writes(request_, by=team_member, body="Bonjour.", subject="Objet")
    request_.refresh_from_db()
    assert request_.unread_since is None
    assert tabs(team_client)["Nouveaux messages"] == 0


def test_reading_without_the_triage_permission_marks_nothing_read(client, submitted, editor):
    write(client, submitted, "Une question.")
    request = submitted.intake_request
    commands.team_reads(request, by=editor)
    request.refresh_from_db()
    assert request.unread_since is not None


def test_an_ended_request_leaves_the_new_messages_tab(client, team_client, submitted):
    write(client, submitted, "Je retire ma demande, merci.")
    assert tabs(team_client)["Nouveaux messages"] == 1
    commands.withdraw(submitted.intake_request)
    assert tabs(team_client)["Nouveaux messages"] == 0


# Costs


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_files_in_the_thread_cost_no_query_each(team_client, request_, team_member):
    """The request page and the status page read every file of the thread at once."""
    link = status_link(request_)
    counts = []
    for _round in range(3):
        for _ in range(3):
            commands.team_writes(
                request_,
                by=team_member,
                body="Pièces",
                subject="Objet",
                files=[("a.pdf", PDF), ("b.png", image("PNG"))],
            )
        counts.append(
            (count_queries(team_client, page_url(request_)), count_queries(team_client, link))
        )
    assert counts[0] == counts[1] == counts[2], counts
    assert Attachment.objects.count() == 18


# Valid HTML (RGAA 8.2)


def test_the_pages_and_emails_with_files_are_valid_html(
    client, team_client, submitted, team_member, committed
):
    vnu_command()
    request = submitted.intake_request
    write(
        client,
        submitted,
        "Voici.",
        upload("Délibération.pdf", PDF),
        upload("plan.png", image("PNG")),
    )
    committed(
        commands.team_writes,
        request,
        by=team_member,
        body="Le compte rendu.",
        subject="Objet",
        files=[("cr.pdf", PDF)],
    )
    client.logout()
    documents = {"status page with files": client.get(status_url(submitted)).content}
    refused = write(client, submitted, "Encore.", upload("faux.pdf", b"texte"))
    assert refused.status_code == 400
    documents["status page with a refused file"] = refused.content
    for email in mail.outbox:
        if "Pièce" in email.body:
            documents[email.subject] = email.alternatives[0][0]
    assert len(documents) == 4
    assert_valid_html(documents)
