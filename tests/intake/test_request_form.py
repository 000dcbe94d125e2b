"""The /demande/ form: rendering, each field's French error, and a successful submission."""

import re
from html import unescape

import pytest
from django.core import mail

from intake.models import Appointment, Collectivite, CollectiviteAlias, IntakeRequest, OutgoingEmail
from tests.intake.conftest import submission_token

pytestmark = pytest.mark.django_db


def post(client, form_page, data):
    return client.post(form_page.url, data)


def test_form_renders_with_dsfr_fields_and_autocomplete(client, form_page):
    response = client.get(form_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    for name, autocomplete in [
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("email", "email"),
        ("phone", "tel"),
        ("function", "organization-title"),
    ]:
        assert f'name="{name}"' in html
        assert f'autocomplete="{autocomplete}"' in html
    assert "fr-input" in html and "fr-fieldset" in html
    assert "(Optionnel)" in html  # optional fields are marked, required ones are not
    assert 'href="/donnees-personnelles/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_successful_submission_creates_request_appointment_and_emails(
    client, form_page, valid_data, fresnes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form_page, valid_data)
    assert response.status_code == 302
    request = IntakeRequest.objects.get()
    assert request.reference.startswith("TE-") and len(request.reference) == 13
    assert request.collectivite == fresnes
    assert request.phone == "+33123456789"
    assert request.needs == ["strategy", "funding"]
    assert request.status == "submitted"
    appointment = Appointment.objects.get(request=request)
    assert appointment.status == "booked"
    assert OutgoingEmail.objects.filter(request=request, status="sent").count() == 2
    acknowledgement = next(m for m in mail.outbox if m.to == ["camille.martin@example.fr"])
    assert request.reference in acknowledgement.subject
    assert acknowledgement.attachments[0][0] == "rendez-vous.ics"
    confirmation = client.get(response["Location"])
    assert request.reference in confirmation.content.decode()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("first_name", "", "Saisissez votre prénom."),
        ("last_name", "", "Saisissez votre nom."),
        ("function", "", "Indiquez votre fonction."),
        ("email", "", "Saisissez votre adresse électronique."),
        ("email", "pas-une-adresse", "Saisissez une adresse de courriel valide."),
        ("phone", "", "Saisissez votre numéro de téléphone."),
        ("phone", "12345", "Saisissez un numéro de téléphone français valide"),
        ("phone", "+44 20 7946 0958", "Saisissez un numéro de téléphone français valide"),
        ("needs", [], "Cochez au moins un sujet d'accompagnement."),
        ("rhythm", "", "Choisissez le rythme souhaité."),
        ("rhythm", "weekly", "Sélectionnez un choix valide."),
        ("context", "", "Décrivez votre contexte et vos questions."),
        ("context", "   ", "Décrivez votre contexte et vos questions."),
        ("context", "x" * 3001, "au plus 3000 caractères"),
        ("first_exchange", "", "Choisissez comment organiser le premier échange."),
        ("collectivite_search", "", "Indiquez votre collectivité"),
        ("consent", "", "Vous devez accepter le traitement de vos données"),
        ("slot", "", "Choisissez un créneau"),
        ("slot", "2020-01-06T13:00:00+00:00", "Ce créneau n'est plus disponible"),
        ("slot", "pas-une-date", "Sélectionnez un créneau dans la liste."),
        ("role", "maire", "Sélectionnez un choix valide."),
        ("role", "", "Indiquez si vous êtes élu·e ou agent·e."),
    ],
)
def test_each_field_has_its_french_error_and_values_are_kept(
    client, form_page, valid_data, field, value, message
):
    data = {**valid_data, field: value}
    if field == "collectivite_search":
        data["collectivite"] = ""
    response = post(client, form_page, data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert message in html
    assert 'id="error-summary"' in html
    kept = {"first_name": 'value="Camille"', "context": "Nous voulons reconstituer"}
    for name, fragment in kept.items():
        if name != field:
            assert fragment in html, name
    assert 'aria-invalid="true"' in html
    assert IntakeRequest.objects.count() == 0


def test_error_is_linked_to_its_field(client, form_page, valid_data):
    html = post(client, form_page, {**valid_data, "email": "x"}).content.decode()
    assert 'aria-describedby="id_email-desc-error"' in html
    assert 'id="id_email-desc-error"' in html
    assert 'href="#id_email"' in html


def test_collectivite_typed_without_javascript_is_matched(client, form_page, valid_data, fresnes):
    data = {**valid_data, "collectivite": "", "collectivite_search": "Fresnes 94"}
    assert post(client, form_page, data).status_code == 302
    assert IntakeRequest.objects.get().collectivite == fresnes


def test_homonyms_typed_without_javascript_are_told_apart(client, form_page, valid_data, fresnes):
    other = Collectivite.objects.create(
        kind="commune",
        code="41094",
        name="Fresnes",
        departement_code="41",
        departement_name="Loir-et-Cher",
        population=1200,
    )
    data = {**valid_data, "collectivite": "", "collectivite_search": "Fresnes"}
    html = unescape(post(client, form_page, data).content.decode())
    assert "Plusieurs collectivités correspondent : laquelle est la vôtre ?" in html
    first = html.index(f'value="{fresnes.pk}"')
    second = html.index(f'value="{other.pk}"')
    assert first < second  # the larger first
    assert "Fresnes — Commune · 94 Val-de-Marne · 27\xa0000 habitants" in html[first:second]
    assert "Fresnes — Commune · 41 Loir-et-Cher · 1\xa0200 habitants" in html[second:]
    assert IntakeRequest.objects.count() == 0

    data["collectivite_choice"] = str(other.pk)
    assert post(client, form_page, data).status_code == 302
    assert IntakeRequest.objects.get().collectivite == other


def test_unknown_collectivite_asks_to_check_or_type_freely(client, form_page, valid_data):
    data = {**valid_data, "collectivite": "", "collectivite_search": "Zzyzx-sur-Mer"}
    html = post(client, form_page, data).content.decode()
    assert "Aucune collectivité ne correspond" in html
    assert IntakeRequest.objects.count() == 0


def test_collectivite_outside_the_referential(client, form_page, valid_data):
    data = {
        **valid_data,
        "collectivite": "",
        "collectivite_search": "",
        "not_listed": "on",
        "other_name": "Syndicat mixte du Pays Test",
        "other_kind": "epci",
    }
    assert post(client, form_page, data).status_code == 302
    request = IntakeRequest.objects.get()
    assert request.collectivite is None
    assert request.collectivite_label == "Syndicat mixte du Pays Test"


def test_not_listed_needs_a_name_and_a_kind(client, form_page, valid_data):
    data = {
        **valid_data,
        "collectivite": "",
        "not_listed": "on",
        "other_name": "",
        "other_kind": "",
    }
    html = post(client, form_page, data).content.decode()
    assert "Saisissez le nom de votre collectivité." in html
    assert "Choisissez le type de votre collectivité." in html


def test_call_back_needs_no_slot(client, form_page, valid_data):
    data = {**valid_data, "first_exchange": "call_back", "slot": ""}
    assert post(client, form_page, data).status_code == 302
    assert not Appointment.objects.exists()


def test_double_submit_creates_one_request(client, form_page, valid_data):
    first = post(client, form_page, valid_data)
    second = post(client, form_page, valid_data)
    assert first.status_code == second.status_code == 302
    assert IntakeRequest.objects.count() == 1
    assert Appointment.objects.count() == 1


def test_honeypot_answers_like_success_and_stores_nothing(client, form_page, valid_data):
    response = post(client, form_page, {**valid_data, "website": "http://spam.example"})
    assert response.status_code == 302
    assert IntakeRequest.objects.count() == 0
    assert "Merci" in client.get(response["Location"]).content.decode()


def test_too_fast_submission_is_refused_with_values_kept(client, form_page, valid_data):
    response = post(
        client, form_page, {**valid_data, "submission": submission_token(started_seconds_ago=0)}
    )
    assert response.status_code == 400
    assert "trop vite" in response.content.decode()
    assert IntakeRequest.objects.count() == 0


def test_tampered_form_token_is_refused(client, form_page, valid_data):
    response = post(client, form_page, {**valid_data, "submission": "abc"})
    assert response.status_code == 400
    assert IntakeRequest.objects.count() == 0


def test_open_request_of_the_same_collectivite_is_linked_and_announced(
    client, form_page, valid_data
):
    post(client, form_page, {**valid_data, "first_exchange": "call_back", "slot": ""})
    response = post(
        client,
        form_page,
        {**valid_data, "submission": submission_token(), "first_exchange": "call_back", "slot": ""},
    )
    first, second = IntakeRequest.objects.order_by("created_at")
    assert second.related_open_request == first
    assert "déjà une demande en cours" in client.get(response["Location"]).content.decode()


def test_confirmation_without_submission_goes_back_to_the_form(client, form_page):
    response = client.get(form_page.url + "merci/")
    assert response.status_code == 302
    assert response["Location"] == form_page.url


def test_slot_taken_meanwhile_gives_the_form_back_with_a_clear_message(
    client, form_page, valid_data, first_slot
):
    from intake import booking
    from intake.lifecycle import appointments
    from tests.intake.factories import intake_request

    appointments.book(intake_request(), first_slot.starts_at)  # someone was faster
    response = post(client, form_page, valid_data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Ce créneau n'est plus disponible" in html
    assert 'value="Camille"' in html
    remaining = booking.available_slots()
    form = response.context["form"]
    assert first_slot.starts_at not in [slot.starts_at for slot in form.slots]
    assert [slot.starts_at for slot in form.slots] == [slot.starts_at for slot in remaining]
    assert IntakeRequest.objects.count() == 1  # only the faster one


@pytest.mark.parametrize("field", ["collectivite", "collectivite_choice", "themes"])
@pytest.mark.parametrize("value", ["9" * 30, "-1", "1e3", "0"])
def test_out_of_range_ids_are_refused_not_crashed(client, form_page, valid_data, field, value):
    data = {**valid_data, field: value}
    if field == "collectivite_choice":
        data.update(collectivite="", collectivite_search="Fresnes")
    response = post(client, form_page, data)
    assert response.status_code in (302, 400)
    if field == "collectivite" and response.status_code == 302:
        # Refused as an id, the typed name was used instead.
        assert IntakeRequest.objects.get().collectivite.name == "Fresnes"


def test_combobox_announcements_are_translated_on_the_server(client, form_page):
    html = unescape(client.get(form_page.url).content.decode())
    assert 'data-combobox-url="/demande/collectivites/"' in html
    assert 'data-combobox-many="{count} résultats disponibles"' in html
    assert 'data-combobox-none="Aucun résultat"' in html


def test_requests_stay_out_of_wagtails_reference_index(client, form_page, valid_data):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    post(client, form_page, valid_data)
    request_type = ContentType.objects.get_for_model(IntakeRequest)
    assert not ReferenceIndex.objects.filter(base_content_type=request_type).exists()


def test_seat_lost_during_submission_rolls_back_and_says_so_once(
    client, form_page, valid_data, monkeypatch
):
    from intake.lifecycle import appointments
    from tests.intake.factories import intake_request

    real_book = appointments.book

    def someone_else_first(request, starts_at, **kwargs):
        real_book(intake_request(), starts_at)  # the last seat goes to someone else
        return real_book(request, starts_at, **kwargs)

    monkeypatch.setattr(appointments, "book", someone_else_first)
    response = post(client, form_page, valid_data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert html.count("Ce créneau n'est plus disponible") == 2  # under the field + summary
    assert 'value="Camille"' in html
    assert not IntakeRequest.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_overlong_email_is_refused_at_the_field(client, form_page, valid_data):
    email = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".fr"
    response = post(client, form_page, {**valid_data, "email": email})
    assert response.status_code == 400
    assert not IntakeRequest.objects.exists()


def test_not_listed_false_still_requires_a_collectivite(client, form_page, valid_data):
    data = {**valid_data, "collectivite": "", "collectivite_search": "", "not_listed": "false"}
    response = post(client, form_page, data)
    assert response.status_code == 400
    assert "Indiquez votre collectivité" in unescape(response.content.decode())
    assert not IntakeRequest.objects.exists()


def test_without_slots_the_slot_option_is_not_offered(client, form_page, monkeypatch):
    from intake import booking

    monkeypatch.setattr(booking, "available_slots", lambda now=None: [])
    html = client.get(form_page.url).content.decode()
    assert 'value="slot"' not in html
    assert 'value="call_back"' in html


def field_group(html, field_id):
    """The DSFR group of one field: its label, hint and control."""
    start = html.index(f'for="{field_id}"')
    return html[html.rfind("<div", 0, start) : html.index("</div>", start)]


def test_fields_required_in_their_context_are_not_marked_optional(client, form_page):
    html = client.get(form_page.url).content.decode()
    for field_id in ("id_slot", "id_other_name", "id_other_kind"):
        assert "(Optionnel)" not in field_group(html, field_id), field_id
    assert "(Optionnel)" in field_group(html, "id_other_departement")
    # Shown only in their context, with plain CSS: no JavaScript needed.
    assert html.count('class="fr-fieldset__element portal-if-not-listed"') == 3
    assert html.count('class="fr-fieldset__element portal-if-slot"') == 1


def test_the_homonyms_choice_is_required_when_offered(client, form_page, valid_data, fresnes):
    from intake.models import Collectivite

    Collectivite.objects.create(
        kind="commune", code="27400", name="Fresnes", search_name="fresnes", departement_code="27"
    )
    data = {**valid_data, "collectivite": "", "collectivite_search": "Fresnes"}
    html = client.post(form_page.url, data).content.decode()
    legend = html.split("Plusieurs collectivités correspondent", 1)[1].split("</legend>", 1)[0]
    assert "(Optionnel)" not in legend
    assert "Choisissez votre collectivité dans la liste." in html


def test_every_slot_option_says_the_whole_date_and_time(client, form_page, first_slot):
    from intake.booking import slot_label

    html = client.get(form_page.url).content.decode()
    options = re.findall(r'<option value="2[^"]+">([^<]+)</option>', html)
    assert options and all(
        re.fullmatch(r"\w+ \d+ \w+, \d+\u00a0h(\u00a0\d\d)?", o) for o in options
    )
    assert options[0] == slot_label(first_slot.starts_at)


def test_the_confirmation_says_when_how_long_and_what_next(
    client, form_page, valid_data, first_slot
):
    from home.models import PortalSettings
    from intake.booking import slot_label

    portal = PortalSettings.load()
    portal.response_delay_days = 4
    portal.save()
    response = post(client, form_page, valid_data)
    request = IntakeRequest.objects.get()
    html = unescape(client.get(response["Location"]).content.decode())
    assert "<title>Demande envoyée — Territoires d'engagement — ANCT</title>" in html
    assert f"Référence de votre demande : {request.reference}" in html
    assert f"{slot_label(first_slot.starts_at)} (heure de Paris), en visioconférence." in html
    assert "vous répond sous 4 jours ouvrés" in html
    assert "déplacer ou annuler le rendez-vous" in html


def test_a_call_back_confirmation_offers_no_appointment(client, form_page, valid_data):
    response = post(client, form_page, {**valid_data, "first_exchange": "call_back", "slot": ""})
    html = unescape(client.get(response["Location"]).content.decode())
    assert "L'équipe vous appellera pour convenir du premier échange." in html
    assert "déplacer" not in html and "annuler" not in html


def test_the_status_link_is_shown_once_and_kept_nowhere(client, form_page, valid_data):
    response = post(client, form_page, valid_data)
    request = IntakeRequest.objects.get()
    assert "intake_status_link" in response.cookies
    first = client.get(response["Location"]).content.decode()
    link = re.search(r'href="(/suivi/[^"/]+/)"', first)[1]
    assert client.get(link).status_code == 200
    # Neither the session nor the database holds the token; a reload no longer shows it.
    session = client.session.load()
    assert link.split("/")[2] not in str(session)
    assert not request.access_tokens.filter(digest=link.split("/")[2]).exists()
    # Shown once: a reload says the request was sent, without its reference nor its link.
    again = client.get(response["Location"])
    assert again.status_code == 200
    assert request.reference not in again.content.decode()
    assert not re.search(r'href="/suivi/[^"/]+/"', again.content.decode())


def test_a_reload_of_the_confirmation_says_the_request_was_sent(client, form_page, valid_data):
    response = post(client, form_page, valid_data)
    client.get(response["Location"])
    again = client.get(response["Location"])
    html = unescape(again.content.decode())
    assert again.status_code == 200
    assert "<h1>Votre demande a bien été envoyée</h1>" in html
    assert (
        "Le lien personnel pour suivre votre demande est dans le courriel de confirmation "
        "envoyé à l'adresse que vous avez indiquée." in html
    )
    assert '<a href="/suivi/">Recevoir un nouveau lien de suivi</a>' in html
    assert 'name="first_name"' not in html


def test_a_former_commune_typed_without_javascript_leads_to_its_commune(
    client, form_page, valid_data
):
    """Each candidate says the other name it was found by, in the search's order."""
    valserhone = Collectivite.objects.create(
        kind="commune",
        code="01033",
        name="Valserhône",
        departement_code="01",
        departement_name="Ain",
        population=16712,
    )
    CollectiviteAlias.objects.create(
        collectivite=valserhone, kind="deleguee", code="01033", name="Bellegarde-sur-Valserine"
    )
    gard = Collectivite.objects.create(
        kind="commune",
        code="30034",
        name="Bellegarde",
        departement_code="30",
        departement_name="Gard",
        population=8035,
    )
    loiret = Collectivite.objects.create(
        kind="commune", code="45031", name="Bellegarde", departement_code="45", population=1440
    )
    data = {**valid_data, "collectivite": "", "collectivite_search": "Bellegarde"}
    html = unescape(post(client, form_page, data).content.decode())
    first, second = html.index(f'value="{gard.pk}"'), html.index(f'value="{valserhone.pk}"')
    # Exact names, times ten, before the start of another name: 80,350 > 16,712 > 14,400.
    assert first < second < html.index(f'value="{loiret.pk}"')
    assert (
        "Valserhône — commune déléguée : Bellegarde-sur-Valserine — Commune · 01 Ain · "
        "16\xa0712 habitants"
    ) in html[second:]

    data["collectivite_choice"] = str(valserhone.pk)
    assert post(client, form_page, data).status_code == 302
    assert IntakeRequest.objects.get().collectivite == valserhone
