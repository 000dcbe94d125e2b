"""The admin in correct French where Wagtail builds text from model names, one time format in
French text, one greeting, labels that keep their box and their colour."""

import html
import re
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.admin.localization import get_js_translation_strings
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple

from home.typography import french_time, french_when
from intake.lifecycle.commands import submit
from intake.models import Closure, Label, OpeningRule, ReplyTemplate
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def text(response):
    return html.unescape(response.content.decode())


def headings(response):
    return [
        re.sub(r"<[^>]+>|[ \t\n]+", " ", h).strip()
        for h in re.findall(r"<h1[^>]*>(.*?)</h1>", text(response), re.S)
    ]


@pytest.fixture
def team_client(client, team_member):
    client.force_login(team_member)
    return client


def test_the_label_listing_speaks_french(team_client):
    Label.objects.all().delete()
    page = text(team_client.get("/admin/snippets/intake/label/"))
    assert "Ajouter une étiquette" in page
    assert "Aucune étiquette pour l'instant" in page
    assert "un(e)" not in page and "de étiquettes" not in page
    Label.objects.create(name="Urgent", colour="red")
    searched = text(team_client.get("/admin/snippets/intake/label/?q=zzz"))
    assert "Aucune étiquette ne correspond à votre recherche." in searched


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/admin/snippets/intake/label/add/", "Nouvelle étiquette"),
        ("/admin/snippets/intake/replytemplate/add/", "Nouveau modèle de réponse"),
        ("/admin/permanence/fermetures/new/", "Nouvelle fermeture"),
        ("/admin/permanence/regles/new/", "Nouvelle règle d'ouverture"),
    ],
)
def test_creation_screens_have_one_french_level_one_heading(team_client, url, title):
    response = team_client.get(url)
    assert response.status_code == 200
    assert headings(response) == [title]
    assert f"<title>{title} - Wagtail</title>" in text(response)


def test_edition_screens_have_one_french_level_one_heading(team_client):
    template = ReplyTemplate.objects.create(
        name="Relance", purpose="message", subject="Votre demande", body="Bonjour {contact},"
    )
    label = Label.objects.create(name="Urgent", colour="red")
    closure = Closure.objects.create(
        start_date=datetime(2026, 12, 24).date(), end_date=datetime(2026, 12, 31).date()
    )
    rule = OpeningRule.objects.get()
    expected = {
        f"/admin/snippets/intake/replytemplate/edit/{template.pk}/": (
            f"Modifier le modèle « {template} »"
        ),
        f"/admin/snippets/intake/label/edit/{label.pk}/": "Modifier l'étiquette « Urgent »",
        f"/admin/permanence/fermetures/edit/{closure.pk}/": f"Modifier la fermeture « {closure} »",
        f"/admin/permanence/regles/edit/{rule.pk}/": f"Modifier la règle « {rule} »",
    }
    for url, title in expected.items():
        assert headings(team_client.get(url)) == [title], url


def test_the_bulk_counter_agrees_with_its_number():
    # Wagtail's own catalogue says "%(objects)s fragment sélectionné".
    assert get_js_translation_strings()["BULK_ACTIONS"]["SNIPPET"] == {
        "SINGULAR": "1 élément sélectionné",
        "PLURAL": "%(objects)s éléments sélectionnés",
        "ALL": "Les %(objects)s éléments sur cet écran",
        "ALL_IN_LISTING": "Tous les éléments dans la liste",
    }


def test_a_moment_ago_is_a_moment_ago():
    assert timesince_simple(timezone.now()) == "à l'instant"
    assert timesince_simple(timezone.now() - timedelta(hours=3)) == "il y a 3" + NBSP + "heures"


def test_one_time_format_in_french_text():
    winter = datetime(2026, 12, 7, 13, 30, tzinfo=UTC)  # 14:30 in Paris
    summer = datetime(2026, 7, 6, 12, 0, tzinfo=UTC)  # 14:00 in Paris
    assert french_when(winter) == f"7 décembre 2026 à 14{NBSP}h{NBSP}30"
    assert french_when(summer, "l j F") == f"lundi 6 juillet à 14{NBSP}h"
    assert french_time(winter) == f"14{NBSP}h{NBSP}30"
    assert french_when(None) == "" and french_time(None) == ""
    assert str(OpeningRule(weekday=0, start_time=time(14), end_time=time(17, 30))) == (
        f"Lundi de 14{NBSP}h à 17{NBSP}h{NBSP}30"
    )


def test_emails_greet_by_the_full_name_and_write_hours_in_french(
    request_fields, first_slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(request_fields, submission_key=uuid.uuid4(), slot=first_slot)
    acknowledgement = next(m for m in mail.outbox if m.to == [request_fields["email"]])
    name = f"{request_fields['first_name']} {request_fields['last_name']}"
    assert acknowledgement.body.startswith(f"Bonjour {name},")
    start = timezone.localtime(first_slot.starts_at)
    assert f"{start.hour}{NBSP}h" in acknowledgement.body
    assert not re.search(r"\d\d:\d\d", acknowledgement.body)
    team = next(m for m in mail.outbox if m.to != [request_fields["email"]])
    assert f"à {start.hour}{NBSP}h" in team.body and not re.search(r"\d\d:\d\d", team.body)


def test_a_label_keeps_its_box_and_shows_its_colour(team_client):
    Label.objects.create(name="Budget participatif", colour="green")
    intake = intake_request()
    page = team_client.get(f"/admin/demandes/{intake.pk}/").content.decode()
    [choice] = re.findall(r'<label class="request-label-choice".*?</label>', page, re.S)
    assert 'type="checkbox"' in choice
    assert '<span class="request-label request-label--green">Budget participatif</span>' in choice


def test_the_search_modal_has_an_accessible_name(client, home):
    # Without one, the DSFR logs "missing accessible name" when the modal opens.
    page = text(client.get("/"))
    [modal] = re.findall(r'<[a-z]+ class="fr-header__search fr-modal"[^>]*>', page)
    assert modal == (
        '<section class="fr-header__search fr-modal" id="modal-search" '
        'aria-label="Rechercher sur le site">'
    )
