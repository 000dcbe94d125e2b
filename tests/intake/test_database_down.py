"""The database down during a form's POST: a DSFR 503 page, rendered without the database,
that shows the form again with everything typed; nothing written; sent again once the
database is back, it lands."""

from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import OperationalError, connection
from django.test import Client

from intake.models import AccessToken, IntakeRequest
from tests.html_validity import assert_valid_html, vnu_command

pytestmark = pytest.mark.django_db

DOWN = OperationalError("server closed the connection unexpectedly")


def failing_after_the_insert():
    # The connection drops once the request's row is written, before the transaction ends.
    return mock.patch.object(AccessToken, "issue", side_effect=DOWN)


@pytest.fixture
def browser():
    # As a browser posts: with its CSRF cookie, errors answered, not raised.
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    return client


def post_form(browser, form_page, data):
    browser.get(form_page.url)
    token = browser.cookies["csrftoken"].value
    return browser.post(form_page.url, {**data, "csrfmiddlewaretoken": token})


def resubmitted(response):
    """(texts {name: value}, hidden {name: [values]}, choices {label: text}) of the 503 form."""
    form = BeautifulSoup(response.content, "html.parser").select_one("main form")
    texts = {
        field["name"]: field.get("value", field.text)
        for field in form.select("input.fr-input, textarea")
    }
    hidden = {}
    for field in form.select("input[type=hidden]"):
        hidden.setdefault(field["name"], []).append(field["value"])
    labels = [dt.text for dt in form.select("dt")]
    chosen = [dd.text for dd in form.select("dd")]
    return form["action"], texts, hidden, dict(zip(labels, chosen, strict=True))


def test_the_form_comes_back_with_everything_typed_and_nothing_is_written(
    browser, form_page, valid_data
):
    with failing_after_the_insert():
        response = post_form(browser, form_page, valid_data)
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert not IntakeRequest.objects.exists()
    assert mail.outbox == []

    action, texts, hidden, choices = resubmitted(response)
    assert action == form_page.url
    assert texts == {
        "collectivite_search": "Fresnes (Val-de-Marne)",
        "first_name": "Camille",
        "last_name": "Martin",
        "function": "Adjointe au maire chargée de la participation",
        "email": "camille.martin@example.fr",
        "phone": "01 23 45 67 89",
        "context": "Nous voulons reconstituer un service participation.",
        "existing_bodies": "Conseils de quartier",
    }
    assert choices == {
        "Vous êtes": "Élu ou élue",
        "Sur quoi souhaitez-vous être accompagnés ?": (
            "Vos axes stratégiques en matière de démocratie participative, "
            "Les pistes de financement"
        ),
        "Rythme souhaité": "Un accompagnement régulier (toutes les 4 à 8 semaines)",
        "Comment souhaitez-vous organiser ce premier échange ?": "Je choisis un créneau",
    }
    # Kept as they came, not shown: the referential's entry, the slot, the consent, the
    # submission token, the choices, and the honeypot (empty), never as a visible field.
    assert hidden["needs"] == ["strategy", "funding"]
    assert hidden["website"] == [""]
    assert hidden["slot"] == [valid_data["slot"]]
    assert hidden["consent"] == ["on"]
    assert hidden["submission"] == [valid_data["submission"]]
    assert "csrfmiddlewaretoken" in hidden
    assert "Ne pas remplir ce champ" not in response.content.decode()


def test_sent_again_once_the_database_is_back_it_lands(browser, form_page, valid_data):
    with failing_after_the_insert():
        response = post_form(browser, form_page, valid_data)
    _, texts, hidden, _ = resubmitted(response)
    again = {**hidden, **texts}
    response = browser.post(form_page.url, again)
    assert response.status_code == 302
    created = IntakeRequest.objects.get()
    assert (created.first_name, created.needs, created.rhythm) == (
        "Camille",
        ["strategy", "funding"],
        "regular",
    )


def test_the_page_renders_with_no_database_at_all(browser, form_page, valid_data):
    browser.get(form_page.url)
    token = browser.cookies["csrftoken"].value
    # Every query fails, from the page's own lookup on.
    with mock.patch.object(connection, "cursor", side_effect=DOWN):
        response = browser.post(form_page.url, {**valid_data, "csrfmiddlewaretoken": token})
        page = browser.get("/la-cellule/")
    assert response.status_code == 503
    _, texts, _, _ = resubmitted(response)
    assert texts["first_name"] == "Camille"
    assert page.status_code == 503
    assert "Le service ne répond pas pour le moment" in page.content.decode()


def test_any_other_error_stays_a_500(browser, form_page, valid_data):
    with mock.patch.object(AccessToken, "issue", side_effect=RuntimeError("bug")):
        response = post_form(browser, form_page, valid_data)
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()


def test_the_503_pages_are_valid_html(browser, form_page, valid_data):
    vnu_command()
    with failing_after_the_insert():
        form = post_form(browser, form_page, valid_data)
    with mock.patch.object(connection, "cursor", side_effect=DOWN):
        page = browser.get("/la-cellule/")
    assert_valid_html({"form kept": form.content, "page": page.content})
