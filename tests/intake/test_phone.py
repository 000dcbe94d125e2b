"""Phone numbers as people type them, in every French territory: stored in E.164 and shown in
the territory's national form wherever the team and the applicant read them."""

import importlib
import re
from html import unescape

import phonenumbers
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from intake.models import IntakeRequest
from intake.phone import FRENCH_REGIONS, PhoneField, format_phone, normalise_phone
from tests.intake.conftest import sent_to, submission_token
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

# (as typed, as stored, as shown): public bodies' and operators' real number formats.
FORMATS = [
    # Metropolitan France.
    ("01 23 45 67 89", "+33123456789", "01 23 45 67 89"),
    ("01.42.76.40.40", "+33142764040", "01 42 76 40 40"),
    ("06-12-34-56-78", "+33612345678", "06 12 34 56 78"),
    ("+33 6 12 34 56 78", "+33612345678", "06 12 34 56 78"),
    ("+33 (0)4 91 55 11 11", "+33491551111", "04 91 55 11 11"),
    ("0033 5 61 22 29 22", "+33561222922", "05 61 22 29 22"),
    ("+33.7.81.23.45.67", "+33781234567", "07 81 23 45 67"),
    ("09 72 12 34 56", "+33972123456", "09 72 12 34 56"),
    # Réunion and Mayotte (+262), whose national numbers FR's metadata partly claims.
    ("0262 40 04 04", "+262262400404", "02 62 40 04 04"),
    ("+262 262 40 04 04", "+262262400404", "02 62 40 04 04"),
    ("+262 692 12 34 56", "+262692123456", "06 92 12 34 56"),
    ("00262 693 41 22 33", "+262693412233", "06 93 41 22 33"),
    ("+33 2 62 40 04 04", "+262262400404", "02 62 40 04 04"),
    ("02 63 10 12 34", "+262263101234", "02 63 10 12 34"),
    ("02.69.64.90.00", "+262269649000", "02 69 64 90 00"),
    ("0639 69 12 34", "+262639691234", "06 39 69 12 34"),
    # Guadeloupe, Saint-Martin and Saint-Barthélemy (+590), Martinique, Guyane.
    ("+590 590 99 77 77", "+590590997777", "05 90 99 77 77"),
    ("05 90 87 50 04", "+590590875004", "05 90 87 50 04"),
    ("0690 35 12 34", "+590690351234", "06 90 35 12 34"),
    ("+596 596 59 63 00", "+596596596300", "05 96 59 63 00"),
    ("05 96 59 63 00", "+596596596300", "05 96 59 63 00"),
    ("0696-45-12-34", "+596696451234", "06 96 45 12 34"),
    ("+594 (0)594 27 10 00", "+594594271000", "05 94 27 10 00"),
    ("0694.20.12.34", "+594694201234", "06 94 20 12 34"),
    # Saint-Pierre-et-Miquelon, dialled in 6 digits on the islands.
    ("+508 41 04 40", "+508410440", "41 04 40"),
    ("00508 55 12 34", "+508551234", "55 12 34"),
    # The Pacific: Nouvelle-Calédonie, Polynésie française, Wallis-et-Futuna.
    ("+687 27 12 34", "+687271234", "27 12 34"),
    ("27.12.34", "+687271234", "27 12 34"),
    ("+687 75-12-34", "+687751234", "75 12 34"),
    ("+689 40 47 20 00", "+68940472000", "40 47 20 00"),
    ("87 12 34 56", "+68987123456", "87 12 34 56"),
    ("+681 72 27 27", "+681722727", "72 27 27"),
]

INVALID = (
    "Saisissez un numéro de téléphone français valide, par exemple 01 23 45 67 89, "
    "0262 12 34 56 ou +687 27 12 34."
)
AMBIGUOUS = (
    "Ce numéro peut être de Nouvelle-Calédonie, de Polynésie française ou de "
    "Wallis-et-Futuna : ajoutez l'indicatif, +687, +689 ou +681."
)


@pytest.fixture
def team_client(client, team_member):
    client.force_login(team_member)
    return client


@pytest.mark.parametrize("typed, stored, shown", FORMATS)
def test_each_format_is_stored_in_e164_and_shown_in_its_national_form(
    client, form_page, valid_data, team_member, typed, stored, shown, committing_client
):
    data = {**valid_data, "phone": typed, "first_exchange": "call_back", "slot": ""}
    assert committing_client.post(form_page.url, data).status_code == 302
    request = IntakeRequest.objects.get()
    assert request.phone == stored
    [acknowledgement] = sent_to("camille.martin@example.fr")
    assert f"L'équipe vous appellera au {shown} pour convenir du premier échange." in (
        acknowledgement.body
    )
    [team_notification] = sent_to("territoires-engagement@anct.gouv.fr")
    assert f"Premier échange : à rappeler au {shown}\n" in team_notification.body
    client.force_login(team_member)
    page = client.get(f"/admin/demandes/{request.pk}/").content.decode()
    assert f'<a href="tel:{stored}">{shown}</a>' in page


def test_the_exports_show_the_national_form(team_client):
    intake_request(reference="TE-2026-00001", phone="+262262400404")
    intake_request(reference="TE-2026-00002", phone="+687271234")
    response = team_client.get(
        "/admin/demandes/", {"vue": "toutes", "export": "csv", "ordering": "reference"}
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    column = lines[0].split(";").index("Téléphone")
    assert [line.split(";")[column] for line in lines[1:]] == ["02 62 40 04 04", "27 12 34"]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("12345", INVALID),
        ("+44 20 7946 0958", INVALID),
        ("+1 202 555 0143", INVALID),
        ("06 12 34 56 7", INVALID),
        # One pair short: not taken for a 6-digit Saint-Pierre-et-Miquelon number.
        ("06 12 34 5", INVALID),
        ("01 23 45 67 89 0", INVALID),
        ("0023456789", INVALID),
        ("+262 1 23 45 67 89", INVALID),
        ("+33 41 04 40", INVALID),
        ("06 12 34 56 78 poste 12", INVALID),
        ("O6 12 34 56 78", INVALID),
        ("72 27 27", AMBIGUOUS),
    ],
)
def test_an_invalid_number_gets_its_french_error_at_the_field(
    client, form_page, valid_data, typed, message
):
    response = client.post(form_page.url, {**valid_data, "phone": typed})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    error = re.search(
        r'<div id="id_phone-desc-error">.*?<li class="fr-error-text">(.*?)</li>', html, re.S
    )
    assert error.group(1).strip() == message
    assert f'value="{typed}"' in html
    assert IntakeRequest.objects.count() == 0


@pytest.mark.parametrize(
    "old, stored, shown",
    [
        ("01 23 45 67 89", "+33123456789", "01 23 45 67 89"),
        ("02 62 40 04 04", "+262262400404", "02 62 40 04 04"),
        ("05 96 59 63 00", "+596596596300", "05 96 59 63 00"),
        ("+687 27 12 34", "+687271234", "27 12 34"),
        ("+689 87 12 34 56", "+68987123456", "87 12 34 56"),
        ("+33612345678", "+33612345678", "06 12 34 56 78"),
        # Not a number the form takes today: kept, and shown, as stored.
        ("12 34", "12 34", "12 34"),
    ],
)
def test_the_migration_stores_earlier_numbers_in_e164(old, stored, shown):
    request = intake_request(phone=old)
    migration = importlib.import_module("intake.migrations.0019_phones_in_e164")
    migration.to_e164(apps, None)
    request.refresh_from_db()
    assert (request.phone, request.phone_display) == (stored, shown)


separators = st.sampled_from([" ", ".", "-", "", "/", "(", ")", "\u00a0"])
typed_numbers = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.from_regex(r"\A(\+|00)?[0-9]{1,4}\Z"), separators), max_size=12).map(
        "".join
    ),
    st.sampled_from([typed for typed, _stored, _shown in FORMATS]).flatmap(
        lambda typed: st.integers(0, len(typed)).map(lambda cut: typed[:cut])
    ),
)


@hypothesis_settings(max_examples=500, deadline=None)
@given(typed=typed_numbers)
@example(typed=")000000000000000000")
@example(typed="0" * 30 + "\x00")
def test_the_field_takes_a_french_number_or_says_why(typed):
    field = PhoneField(required=False)
    try:
        stored = field.clean(typed)
    except ValidationError as error:
        # A long value with a null character is refused for both, in French.
        codes = {refusal.code for refusal in error.error_list}
        assert codes and codes <= {
            "invalid_phone",
            "ambiguous_phone",
            "max_length",
            "null_characters_not_allowed",
        }
        if codes & {"invalid_phone", "ambiguous_phone"}:
            assert error.messages in ([INVALID], [AMBIGUOUS])
        return
    if not stored:
        assert not typed.strip()
        return
    assert re.fullmatch(r"\+[0-9]{8,15}", stored)
    number = phonenumbers.parse(stored)
    assert phonenumbers.region_code_for_number(number) in FRENCH_REGIONS
    assert re.fullmatch(r"[0-9]{2,3}( [0-9]{2})+", format_phone(stored))


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(typed=typed_numbers)
def test_a_fuzzed_phone_never_fails_the_form(client, form_page, valid_data, settings, typed):
    settings.RATELIMIT_FORM_POSTS = 10**6
    data = {**valid_data, "submission": submission_token(), "phone": typed}
    response = client.post(form_page.url, data)
    assert response.status_code in (302, 400)
    for request in IntakeRequest.objects.all():
        assert request.phone == normalise_phone(request.phone)
