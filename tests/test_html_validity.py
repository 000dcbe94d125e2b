"""Every public page of the demo and every state of the request form is valid HTML (RGAA 8.2)."""

import json

import pytest

from intake.models import Collectivite
from tests.demo_urls import DEMO_PUBLIC_URLS
from tests.html_validity import HtmlError, assert_valid_html, read_report, vnu_command

NOT_FOUND = "/page-qui-n-existe-pas/"
PAGES = [
    *DEMO_PUBLIC_URLS,
    "/demande/",
    "/suivi/",
    "/recherche/?q=participation",
    "/recherche/?q=introuvable",
    "/temoignages/?thematique=gestion-des-risques&type=commune",
    NOT_FOUND,
]
FORM = "/demande/"
# Each state posted, and a text only that state shows.
FORM_STATES = {
    "with errors": ({}, "Saisissez votre prénom."),
    "not in the list": ({"not_listed": "on"}, "Saisissez le nom de votre collectivité."),
    "homonyms": (
        {"collectivite_search": "Saint-Denis"},
        "Plusieurs collectivités correspondent : laquelle est la vôtre ?",
    ),
}


@pytest.fixture
def checker():
    """Skips (fails in CI) before the demo content is loaded when vnu cannot run."""
    vnu_command()


@pytest.fixture
def homonyms(db):
    for code, departement_code, departement_name in [
        ("93066", "93", "Seine-Saint-Denis"),
        ("97411", "974", "La Réunion"),
    ]:
        Collectivite.objects.create(
            kind="commune",
            code=code,
            name="Saint-Denis",
            departement_code=departement_code,
            departement_name=departement_name,
        )


def test_public_pages_and_form_states_are_valid_html(checker, client, demo_site, homonyms):
    documents = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == (404 if url == NOT_FOUND else 200), url
        documents[url] = response.content
    for state, (data, shown) in FORM_STATES.items():
        response = client.post(FORM, data)
        html = response.content.decode()
        assert response.status_code == 400, state
        assert shown in html, state
        documents[f"{FORM} {state}"] = html
    assert documents[f"{FORM} homonyms"].count('name="collectivite_choice"') == 2
    assert_valid_html(documents)


def test_errors_name_their_document_line_and_message():
    report = {
        "messages": [
            {
                "type": "error",
                "url": "file:/tmp/vnu-x/001.html",
                "lastLine": 12,
                "firstColumn": 3,
                "message": "Attribute “dsfr” not allowed on element “input” at this point.",
                "extract": '<input dsfr="dsfr">\n',
            }
        ]
    }
    errors = read_report(json.dumps(report), {"000.html": "/", "001.html": "/demande/"})
    assert errors == [
        HtmlError(
            document="/demande/",
            line=12,
            column=3,
            message="Attribute “dsfr” not allowed on element “input” at this point.",
            extract='<input dsfr="dsfr">\n',
        )
    ]
    assert str(errors[0]) == (
        "/demande/:12:3: Attribute “dsfr” not allowed on element “input” at this point.\n"
        '    <input dsfr="dsfr">'
    )
