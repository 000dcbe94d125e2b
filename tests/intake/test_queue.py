"""The team's queue: tabs with their counts, readable columns, search, filters, sorting,
CSV and XLSX exports in French, bulk actions, and a query count that does not grow."""

import csv
import io
import re
import uuid
from datetime import timedelta

import openpyxl
import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import Partner, Theme
from home.typography import french_time
from intake import selectors
from intake.backoffice.queue import SearchPaginator
from intake.lifecycle import commands
from intake.models import Appointment, IntakeRequest, Label, RequestLogEntry
from intake.text import normalise
from tests.html_validity import assert_valid_html
from tests.intake.factories import collectivite, intake_request

pytestmark = pytest.mark.django_db

QUEUE = "/admin/demandes/"
Status = IntakeRequest.Status


@pytest.fixture
def client(client, team_member):
    client.force_login(team_member)
    return client


@pytest.fixture
def occitanie(db):
    return collectivite("Occitanie", kind="region", code="76")


@pytest.fixture
def tarn_agout(occitanie):
    return collectivite(
        "CC Tarn-Agout",
        kind="epci",
        code="248100737",
        departement_code="81",
        departement_name="Tarn",
        region_code="76",
    )


@pytest.fixture
def queue(fresnes, tarn_agout, team_member, other_team_member):
    """One request per situation the tabs tell apart."""
    return {
        "new": intake_request(collectivite=fresnes, reference="TE-2026-00001"),
        "mine": intake_request(
            collectivite=tarn_agout,
            status=Status.IN_REVIEW,
            assignee=team_member,
            reference="TE-2026-00002",
            needs=["funding"],
        ),
        "theirs": intake_request(
            status=Status.IN_REVIEW, assignee=other_team_member, reference="TE-2026-00003"
        ),
        "waiting": intake_request(
            status=Status.AWAITING_APPLICANT,
            assignee=team_member,
            reference="TE-2026-00004",
            paused_on=timezone.localdate(),
        ),
        "accepted": intake_request(status=Status.ACCEPTED, reference="TE-2026-00005"),
        "in_progress": intake_request(status=Status.IN_PROGRESS, reference="TE-2026-00006"),
        "declined": intake_request(
            status=Status.DECLINED, reference="TE-2026-00007", ended_at=timezone.now()
        ),
        "typed": intake_request(
            collectivite_name="Rochefourchat",
            collectivite_kind="commune",
            collectivite_departement="26",
            reference="TE-2026-00008",
            first_name="Lou",
            last_name="Ferrand",
            email="lou.ferrand@example.fr",
        ),
    }


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def references(response):
    return [row.reference for row in response.context["object_list"]]


def test_tabs_count_and_default_to_the_new_requests(client, queue):
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert references(response) == ["TE-2026-00008", "TE-2026-00001"]
    tabs = {str(tab["label"]): (tab["count"], tab["current"]) for tab in response.context["tabs"]}
    assert tabs == {
        "Nouvelles": (2, True),
        "Mes demandes": (2, False),
        "Nouveaux messages": (0, False),
        "En attente de la collectivité": (1, False),
        "Acceptées": (1, False),
        "En accompagnement": (1, False),
        "Terminées": (1, False),
        "Toutes": (8, False),
    }
    html = response.content.decode()
    assert 'aria-current="page">Nouvelles <span class="queue-tabs__count">2</span>' in html


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("miennes", ["TE-2026-00004", "TE-2026-00002"]),
        ("en-attente", ["TE-2026-00004"]),
        ("acceptees", ["TE-2026-00005"]),
        ("accompagnement", ["TE-2026-00006"]),
        ("terminees", ["TE-2026-00007"]),
    ],
)
def test_each_tab_lists_its_requests(client, queue, view, expected):
    assert references(client.get(QUEUE, {"vue": view, "ordering": "-reference"})) == expected


def test_rows_read_in_french(client, queue, tarn_agout):
    label = Label.objects.create(name="Financement", colour="green")
    queue["mine"].labels.add(label)
    start = timezone.now() + timedelta(days=2)
    Appointment.objects.create(
        request=queue["mine"], starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    html = client.get(QUEUE, {"vue": "miennes"}).content.decode()
    [row] = [row for row in html.split("<tr")[1:] if ">TE-2026-00002</span>" in row]
    assert "CC Tarn-Agout" in row
    assert "Intercommunalité (EPCI) · Tarn" in row
    assert "En cours d&#x27;examen" in row
    assert "Camille Agent" in row
    assert "Dans les délais" in row and "0/5 jours ouvrés" in row
    assert french_time(start) in row
    assert 'request-label--green">Financement</li>' in row
    assert "None" not in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("TE-2026-00002", ["TE-2026-00002"]),
        ("fresnes", ["TE-2026-00001"]),
        ("Rochefourchat", ["TE-2026-00008"]),
        ("lou ferrand", ["TE-2026-00008"]),
        ("LOU.FERRAND@example.fr", ["TE-2026-00008"]),
        ("tarn agout", ["TE-2026-00002"]),
        ("TARN-AGOUT", ["TE-2026-00002"]),
        ("rochefourchât", ["TE-2026-00008"]),
        ("personne-inconnue", []),
    ],
)
def test_search(client, queue, query, expected):
    assert references(client.get(QUEUE, {"vue": "toutes", "q": query})) == expected


def test_filters(client, queue, team_member, tarn_agout, occitanie, fresnes):
    theme = Theme.objects.create(name="Climat")
    queue["new"].themes.add(theme)
    label = Label.objects.create(name="Relance")
    queue["typed"].labels.add(label)
    collectivite("Drôme", kind="departement", code="26", region_code="84")
    collectivite("Tarn", kind="departement", code="81", region_code="76")
    # Typed outside the referential, in the Tarn: in Occitanie too.
    intake_request(
        reference="TE-2026-00009",
        collectivite_name="SIVOM du Lautrécois",
        collectivite_kind="epci",
        collectivite_departement="81",
    )
    old = queue["accepted"]
    IntakeRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    cases = [
        ({"status": ["accepted", "declined"]}, ["TE-2026-00005", "TE-2026-00007"]),
        ({"assignee": team_member.pk}, ["TE-2026-00002", "TE-2026-00004"]),
        (
            {"assignee": "aucun"},
            [f"TE-2026-0000{n}" for n in (1, 5, 6, 7, 8, 9)],
        ),
        ({"kind": "epci"}, ["TE-2026-00002", "TE-2026-00009"]),
        (
            {"kind": "commune"},
            [f"TE-2026-0000{n}" for n in (1, 3, 4, 5, 6, 7, 8)],
        ),
        ({"region": "76"}, ["TE-2026-00002", "TE-2026-00009"]),
        ({"departement": "26"}, ["TE-2026-00008"]),
        ({"departement": "81"}, ["TE-2026-00002", "TE-2026-00009"]),
        ({"need": "funding"}, ["TE-2026-00002"]),
        ({"theme": theme.pk}, ["TE-2026-00001"]),
        ({"label": label.pk}, ["TE-2026-00008"]),
        (
            {
                "received_from": (timezone.localdate() - timedelta(days=41)).isoformat(),
                "received_to": (timezone.localdate() - timedelta(days=39)).isoformat(),
            },
            ["TE-2026-00005"],
        ),
    ]
    for params, expected in cases:
        response = client.get(QUEUE, {"vue": "toutes", "ordering": "reference", **params})
        assert references(response) == expected, params


def test_the_kind_filter_offers_arrondissements(client, team_member):
    client.force_login(team_member)
    paris_15 = collectivite("Paris 15e Arrondissement", kind="arrondissement", code="75115")
    intake_request(reference="TE-2026-00031", collectivite=paris_15, collectivite_name="")
    intake_request(reference="TE-2026-00032")
    response = client.get(QUEUE, {"vue": "toutes", "kind": "arrondissement"})
    assert references(response) == ["TE-2026-00031"]
    assert '<option value="arrondissement" selected>Arrondissement municipal</option>' in (
        response.content.decode()
    )


def test_response_filter_and_sorting(client, queue):
    today = timezone.localdate()
    IntakeRequest.objects.filter(pk=queue["new"].pk).update(
        response_due_on=today - timedelta(days=1)
    )
    IntakeRequest.objects.filter(pk=queue["mine"].pk).update(response_due_on=today)
    late = client.get(QUEUE, {"vue": "toutes", "response": "late"})
    assert references(late) == ["TE-2026-00001"]
    assert references(client.get(QUEUE, {"vue": "toutes", "response": "due_today"})) == [
        "TE-2026-00002"
    ]
    assert "En retard" in late.content.decode()
    ordered = client.get(QUEUE, {"vue": "toutes", "ordering": "reference"})
    assert references(ordered) == [f"TE-2026-0000{n}" for n in range(1, 9)]


def test_csv_export_is_readable_and_filtered(client, queue, tarn_agout):
    response = client.get(QUEUE, {"vue": "miennes", "export": "csv", "ordering": "reference"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="demandes.csv"'
    content = b"".join(response.streaming_content)
    # As French spreadsheets open it: UTF-8 said by a byte-order mark, semicolons.
    assert content.startswith("\ufeffRéférence;Reçue le;Statut;".encode())
    rows = csv_rows(content)
    assert rows[0][:6] == ["Référence", "Reçue le", "Statut", "Collectivité", "Type", "Département"]
    assert len(rows) == 3
    mine = dict(zip(rows[0], rows[1], strict=True))
    assert mine["Référence"] == "TE-2026-00002"
    assert mine["Statut"] == "En cours d'examen"
    assert mine["Collectivité"] == "CC Tarn-Agout"
    assert mine["Type"] == "Intercommunalité (EPCI)"
    assert mine["Besoins"] == "Les pistes de financement"
    assert mine["Rythme souhaité"] == "Un échange ponctuel"
    assert mine["Chargé·e"] == "Camille Agent"
    assert mine["Délai de réponse"] == "Dans les délais (0/5)"
    received = timezone.localtime(queue["mine"].created_at)
    assert mine["Reçue le"] == received.strftime("%d/%m/%Y %H:%M")
    assert "None" not in ",".join(rows[1])


def test_xlsx_export(client, queue):
    response = client.get(QUEUE, {"vue": "toutes", "export": "xlsx", "ordering": "reference"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Référence" and len(rows) == 9
    assert rows[8][0] == "TE-2026-00008"
    assert rows[8][3] == "Rochefourchat"
    assert rows[8][4] == "Commune"


def test_the_export_says_how_long_the_answer_took_and_none_for_a_withdrawal(client, queue):
    intake_request(status=Status.WITHDRAWN, reference="TE-2026-00010", ended_at=timezone.now())
    export = client.get(QUEUE, {"vue": "toutes", "export": "csv", "ordering": "reference"})
    rows = csv_rows(b"".join(export.streaming_content))
    response = {row[0]: row[rows[0].index("Délai de réponse")] for row in rows[1:]}
    assert response["TE-2026-00007"] == "Répondu (0/5)"  # declined the day it came
    assert response["TE-2026-00010"] == "Sans objet"


def test_the_assignee_filter_names_the_team_members(client, queue, team_member):
    html = client.get(QUEUE, {"vue": "toutes"}).content.decode()
    assert f'<option value="{team_member.pk}">Camille Agent</option>' in html
    assert "camille.agent</option>" not in html
    # The active filters say whom, or nobody.
    for value, name in ((team_member.pk, "Camille Agent"), ("aucun", "Personne")):
        html = client.get(QUEUE, {"vue": "toutes", "assignee": value}).content.decode()
        active = re.search(
            r'data-w-active-filter-id="id_assignee".*?<b[^>]*>([^<]+)</b>', html, re.S
        )
        assert active[1] == name


def test_a_typed_request_names_its_departement(client, queue):
    collectivite("Drôme", kind="departement", code="26", region_code="84")
    typed = queue["typed"]
    listing = client.get(QUEUE, {"vue": "toutes"}).content.decode()
    assert "<small>Commune · Drôme</small>" in listing
    export = client.get(QUEUE, {"vue": "toutes", "export": "csv", "ordering": "reference"})
    rows = csv_rows(b"".join(export.streaming_content))
    assert rows[8][0] == typed.reference and rows[8][5] == "Drôme"
    page = client.get(f"/admin/demandes/{typed.pk}/").content.decode()
    assert "<dt>Département</dt><dd>Drôme (26)</dd>" in page


def test_bulk_assign_label_and_spam(client, queue, team_member, django_capture_on_commit_callbacks):
    label = Label.objects.create(name="Lot")
    ids = [queue["new"].pk, queue["typed"].pk]
    query = "&".join(f"id={pk}" for pk in ids)
    page = client.get(f"/admin/bulk/intake/intakerequest/assign/?{query}")
    assert page.status_code == 200 and "2 demandes choisies" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/bulk/intake/intakerequest/assign/?{query}&next=/admin/demandes/",
            {"assignee": team_member.pk},
        )
    assert response.status_code == 302
    assert set(IntakeRequest.objects.filter(pk__in=ids).values_list("status", "assignee")) == {
        (Status.IN_REVIEW, team_member.pk)
    }
    client.post(f"/admin/bulk/intake/intakerequest/label/?{query}", {"label": label.pk})
    assert IntakeRequest.objects.filter(labels=label).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/bulk/intake/intakerequest/spam/?{query}")
    assert set(IntakeRequest.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        Status.SPAM
    }
    actions = RequestLogEntry.objects.for_instance(queue["new"]).values_list("action", flat=True)
    assert list(actions.order_by("pk")) == [
        "intake.take",
        "intake.assigned",
        "intake.labels_changed",
        "intake.spam",
    ]
    # A request that cannot move (already spam) is left as it is.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/bulk/intake/intakerequest/spam/?{query}")
    assert actions.filter(action="intake.spam").count() == 1


def many_requests(count):
    """Requests in bulk, one in two labelled (the first one too), the first fifty with an
    appointment."""
    label = Label.objects.get_or_create(name="Relance")[0]
    today = timezone.localdate()
    first = IntakeRequest.objects.count() + 1
    requests = [
        IntakeRequest(
            reference=f"TE-2025-{number:05d}",
            submission_key=uuid.uuid4(),
            collectivite_name=f"Commune {number}",
            first_name="Prénom",
            last_name=f"Nom {number}",
            function="Agent",
            role="staff",
            email=f"c{number}@example.fr",
            phone="+33123456789",
            needs=["strategy"],
            rhythm="one_off",
            context="Contexte",
            first_exchange="call_back",
            consent_at=timezone.now(),
            clock_started_on=today,
            response_due_on=today + timedelta(days=7),
        )
        for number in range(first, first + count)
    ]
    for request in requests:
        request.search_text = request.search_document()
    requests = IntakeRequest.objects.bulk_create(requests)
    IntakeRequest.labels.through.objects.bulk_create(
        [
            IntakeRequest.labels.through(intakerequest=r, label=label)
            for index, r in enumerate(requests)
            if index % 2 == 0
        ]
    )
    start = timezone.now() + timedelta(days=3)
    Appointment.objects.bulk_create(
        [
            Appointment(request=r, starts_at=start, ends_at=start + timedelta(minutes=30), seat=n)
            for n, r in enumerate(requests[:50], start=1)
        ]
    )
    return requests


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("filtered", [False, True], ids=["default tab", "filtered search"])
def test_the_queue_runs_the_same_queries_for_1_100_and_1000_requests(client, filtered):
    counts = []
    for total in (1, 100, 1000):
        many_requests(total - IntakeRequest.objects.count())
        url = QUEUE
        if filtered:
            label = Label.objects.get(name="Relance")
            url += f"?vue=toutes&q=nom&label={label.pk}&ordering=-reference"
        queries, response = count_queries(client, url)
        counts.append(queries)
        expected = IntakeRequest.objects.filter(labels=label) if filtered else IntakeRequest.objects
        assert response.context["paginator"].count == expected.count()
        assert len(response.context["object_list"]) == min(expected.count(), 25)
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 30


def test_the_request_page_runs_the_same_queries_however_full_it_is(
    client, fresnes, team_member, committed
):
    """The page's own lists grow (messages, notes, events, appointments, other requests of the
    same collectivité) as the requests do: its queries do not."""
    request = intake_request(collectivite=fresnes)
    counts, added = [], 0
    for total in (1, 100, 1000):
        many_requests(total - IntakeRequest.objects.count())
        added += total // 100 + 1
        for _ in range(total // 100 + 1):
            commands.add_note(request, by=team_member, body="Note")
            commands.team_writes(request, by=team_member, body="Message", subject="Objet")
            intake_request(collectivite=fresnes)
            start = timezone.now() + timedelta(days=10, minutes=IntakeRequest.objects.count())
            Appointment.objects.create(
                request=request, starts_at=start, ends_at=start + timedelta(minutes=30)
            )
        queries, response = count_queries(client, f"/admin/demandes/{request.pk}/")
        counts.append(queries)
        # A note and a message per round (their log lines show as the items themselves).
        assert len(response.context["thread"]) == 2 * added
        assert len(response.context["same_collectivite"]) == added
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 45


def test_the_team_tab_counts_ignore_other_filters(client, queue):
    response = client.get(QUEUE, {"vue": "toutes", "q": "TE-2026-00002"})
    # The tabs count the whole queue; the search narrows the list only.
    counts = {str(tab["label"]): tab["count"] for tab in response.context["tabs"]}
    assert (counts["Toutes"], counts["Nouvelles"]) == (8, 2)
    assert references(response) == ["TE-2026-00002"]


def test_this_weeks_appointments_filter_and_panel(client, queue):
    start = timezone.now() + timedelta(minutes=5)
    if timezone.localtime(start).date() != timezone.localdate():
        start = timezone.now()
    Appointment.objects.create(
        request=queue["accepted"], starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    later = timezone.now() + timedelta(days=21)
    Appointment.objects.create(
        request=queue["in_progress"], starts_at=later, ends_at=later + timedelta(minutes=30)
    )
    response = client.get(QUEUE, {"vue": "toutes", "rendez_vous": "semaine"})
    assert references(response) == ["TE-2026-00005"]
    # The day and the month in French words, lower case: "lun 7 décembre, 15:00".
    cell = r"<td>(lun|mar|mer|jeu|ven|sam|dim) \d{1,2} [a-zéû]+ à \d{1,2}\xa0h(\xa0\d\d)?</td>"
    assert re.search(cell, response.content.decode())
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/demandes/?vue=toutes&amp;rendez_vous=semaine" in dashboard


@pytest.fixture
def territories(db):
    """Two départements and their régions, the way the referential holds them."""
    return {
        "idf": collectivite("Île-de-France", kind="region", code="11", region_code="11"),
        "val_de_marne": collectivite(
            "Val-de-Marne", kind="departement", code="94", departement_code="94", region_code="11"
        ),
        "reunion": collectivite("La Réunion", kind="region", code="04", region_code="04"),
        "reunion_departement": collectivite(
            "La Réunion", kind="departement", code="974", departement_code="974", region_code="04"
        ),
        "saint_denis": collectivite(
            "Saint-Denis",
            code="97411",
            siren="219740115",
            departement_code="974",
            departement_name="La Réunion",
            region_code="04",
            population=153001,
        ),
        "creteil": collectivite(
            "Créteil",
            code="94028",
            departement_code="94",
            departement_name="Val-de-Marne",
            region_code="11",
        ),
    }


@pytest.fixture
def searched(territories, team_member, committed):
    """A request per place the search reads, each word written where it is searched."""
    context = intake_request(
        reference="TE-2026-00101",
        context="Nous créons des jardins partagés avec les habitants.",
        collectivite=territories["creteil"],
    )
    message = intake_request(reference="TE-2026-00102", collectivite_departement="13")
    committed(commands.applicant_writes, message, body="Où en est notre Budget participatif ?")
    team_message = intake_request(reference="TE-2026-00103")
    committed(
        commands.team_writes,
        team_message,
        by=team_member,
        body="Voici le lien de la visioconférence.",
        subject="Rendez-vous",
    )
    note = intake_request(reference="TE-2026-00104")
    committed(commands.add_note, note, by=team_member, body="Rappeler l'adjointe après l'été.")
    return {
        "context": context,
        "message": message,
        "team_message": team_message,
        "note": note,
        "typed_94": intake_request(
            reference="TE-2026-00105", collectivite_name="SIVOM", collectivite_departement="94"
        ),
        "saint_denis": intake_request(
            reference="TE-2026-00106", collectivite=territories["saint_denis"]
        ),
        "typed_974": intake_request(
            reference="TE-2026-00107",
            collectivite_name="Syndicat des eaux",
            collectivite_departement="974",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jardins partagés", ["TE-2026-00101"]),
        ("JARDINS PARTAGES", ["TE-2026-00101"]),
        ("budget participatif", ["TE-2026-00102"]),
        ("visioconference", ["TE-2026-00103"]),
        ("rappeler l'adjointe", ["TE-2026-00104"]),
        ("Val-de-Marne", ["TE-2026-00101", "TE-2026-00105"]),
        ("val de marne sivom", ["TE-2026-00105"]),
        ("Île-de-France", ["TE-2026-00101", "TE-2026-00105"]),
        ("Réunion", ["TE-2026-00106", "TE-2026-00107"]),
        ("la reunion saint-denis", ["TE-2026-00106"]),
        ("jardins budget", []),
    ],
)
def test_search_reads_the_context_messages_notes_and_places(client, searched, query, expected):
    response = client.get(QUEUE, {"vue": "toutes", "q": query, "ordering": "reference"})
    assert references(response) == expected


def test_each_written_word_is_searched_at_once(searched, team_member, committed):
    """The lifecycle keeps the search text: a move's reply and a note are found right away."""
    request = searched["typed_974"]
    committed(commands.take, request, by=team_member, message="Nous étudions la médiathèque.")
    committed(commands.add_note, request, by=team_member, body="Dossier FEDER")
    assert list(IntakeRequest.objects.matching("médiathèque feder")) == [request]
    request.refresh_from_db()
    assert request.search_text == (
        "te 2026 00107 syndicat des eaux la reunion la reunion "
        f"{normalise(request.contact_name)} {normalise(request.email)} "
        "nous voulons associer les habitants au projet de mandat "
        "nous etudions la mediatheque dossier feder"
    )


def book(intake_request, starts_at, status=Appointment.Status.BOOKED):
    return Appointment.objects.create(
        request=intake_request,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        status=status,
    )


def test_call_back_and_appointment_filters(client, queue):
    IntakeRequest.objects.filter(pk__in=[queue["new"].pk, queue["declined"].pk]).update(
        first_exchange="call_back"
    )
    IntakeRequest.objects.filter(pk=queue["typed"].pk).update(first_exchange="no_slot")
    monday, next_monday = selectors.week_bounds()
    book(queue["mine"], monday + timedelta(days=3, hours=15))  # this Thursday
    book(queue["accepted"], next_monday + timedelta(days=1, hours=10))  # next Tuesday
    book(queue["in_progress"], next_monday + timedelta(days=15))  # later
    book(queue["theirs"], next_monday + timedelta(hours=14), Appointment.Status.CANCELLED_BY_TEAM)
    cases = [
        ({"premier_echange": "call_back"}, ["TE-2026-00001", "TE-2026-00007"]),
        ({"premier_echange": "no_slot"}, ["TE-2026-00008"]),
        ({"rendez_vous": "semaine"}, ["TE-2026-00002"]),
        ({"rendez_vous": "semaine-prochaine"}, ["TE-2026-00005"]),
        (
            {"rendez_vous": "aucun"},
            ["TE-2026-00001", "TE-2026-00003", "TE-2026-00004", "TE-2026-00007", "TE-2026-00008"],
        ),
        (
            {"rendez_vous": "aucun", "premier_echange": "call_back"},
            ["TE-2026-00001", "TE-2026-00007"],
        ),
    ]
    for params, expected in cases:
        response = client.get(QUEUE, {"vue": "toutes", "ordering": "reference", **params})
        assert references(response) == expected, params
    html = client.get(QUEUE, {"vue": "toutes", "premier_echange": "call_back"}).content.decode()
    assert '<option value="call_back" selected>À rappeler</option>' in html


def test_all_leaves_spam_out_unless_asked(client, queue):
    intake_request(status=Status.SPAM, reference="TE-2026-00009", ended_at=timezone.now())
    everything = [f"TE-2026-0000{n}" for n in range(1, 9)]
    response = client.get(QUEUE, {"vue": "toutes", "ordering": "reference"})
    assert references(response) == everything
    assert {str(tab["label"]): tab["count"] for tab in response.context["tabs"]}["Toutes"] == 8
    # Unticked, the option is no active filter; ticked, it is one.
    assert 'data-w-active-filter-id="id_indesirables"' not in response.content.decode()
    asked = client.get(QUEUE, {"vue": "toutes", "ordering": "reference", "indesirables": "on"})
    assert references(asked) == [*everything, "TE-2026-00009"]
    assert 'data-w-active-filter-id="id_indesirables"' in asked.content.decode()
    by_status = client.get(QUEUE, {"vue": "toutes", "status": ["spam", "declined"]})
    assert references(by_status) == ["TE-2026-00009", "TE-2026-00007"]
    # The ended requests still hold it.
    assert "TE-2026-00009" in references(client.get(QUEUE, {"vue": "terminees"}))


EXPORT_HEADER = [
    "Référence",
    "Reçue le",
    "Statut",
    "Collectivité",
    "Type",
    "Département",
    "Région",
    "Code INSEE",
    "SIREN",
    "Population",
    "Contact",
    "Fonction",
    "Élu·e ou agent·e",
    "Courriel",
    "Téléphone",
    "Besoins",
    "Thématiques",
    "Rythme souhaité",
    "Premier échange",
    "Chargé·e",
    "Délai de réponse",
    "Prochain rendez-vous",
    "Étiquettes",
    "Partenaire",
    "Décision le",
    "Terminée le",
]


@pytest.fixture
def exported(territories, team_member, other_team_member):
    """A redirected request of the referential, with everything the export shows."""
    received = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 15))
    decided = timezone.make_aware(timezone.datetime(2026, 3, 4, 16, 40))
    request = intake_request(
        reference="TE-2026-00201",
        collectivite=territories["saint_denis"],
        first_name="Noé",
        last_name="Payet",
        function="Maire adjoint",
        role="elected",
        email="noe.payet@example.re",
        phone="+262262400404",
        needs=["strategy", "funding"],
        rhythm="regular",
        first_exchange="call_back",
        created_at=received,
        status=Status.REDIRECTED,
        assignee=team_member,
        partner=Partner.objects.create(name="Institut de la concertation"),
        decided_at=decided,
        ended_at=decided,
    )
    request.themes.set(
        [Theme.objects.create(name="Climat"), Theme.objects.create(name="Jeunesse", slug="j")]
    )
    request.labels.add(Label.objects.create(name="Outre-mer"))
    typed = intake_request(
        reference="TE-2026-00202",
        collectivite_name="Syndicat des eaux",
        collectivite_kind="epci",
        collectivite_departement="94",
        created_at=received,
    )
    return request, typed


EXPORTED_ROW = [
    "TE-2026-00201",
    "02/03/2026 09:15",
    "Orientée vers un partenaire",
    "Saint-Denis (La Réunion)",
    "Commune",
    "La Réunion",
    "La Réunion",
    "97411",
    "219740115",
    "153001",
    "Noé Payet",
    "Maire adjoint",
    "Élu ou élue",
    "noe.payet@example.re",
    "02 62 40 04 04",
    "Vos axes stratégiques en matière de démocratie participative, Les pistes de financement",
    "Climat, Jeunesse",
    "Un accompagnement régulier (toutes les 4 à 8 semaines)",
    "Je préfère être rappelé·e",
    "Camille Agent",
    "Répondu (2/5)",
    "",
    "Outre-mer",
    "Institut de la concertation",
    "04/03/2026 16:40",
    "04/03/2026 16:40",
]


def test_the_csv_export_gives_the_place_codes_themes_partner_and_dates(client, exported):
    response = client.get(QUEUE, {"vue": "toutes", "export": "csv", "ordering": "reference"})
    header, row, typed = csv_rows(b"".join(response.streaming_content))
    assert header == EXPORT_HEADER
    assert row == EXPORTED_ROW
    # Typed outside the referential: its région from its département, no codes.
    values = dict(zip(header, typed, strict=True))
    assert (values["Département"], values["Région"]) == ("Val-de-Marne", "Île-de-France")
    assert (values["Code INSEE"], values["SIREN"], values["Population"]) == ("", "", "")
    assert (values["Partenaire"], values["Décision le"], values["Terminée le"]) == ("", "", "")


def test_the_xlsx_export_is_a_named_sheet_with_a_frozen_filterable_header(client, exported):
    response = client.get(QUEUE, {"vue": "toutes", "export": "xlsx", "ordering": "reference"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Demandes"]
    sheet = workbook["Demandes"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Z3"
    widths = {letter: sheet.column_dimensions[letter].width for letter in ("A", "D", "P", "Z")}
    assert widths == {"A": 16, "D": 36, "P": 40, "Z": 17}
    header, row, _typed = sheet.values
    assert list(header) == EXPORT_HEADER
    assert row[0] == "TE-2026-00201"
    assert row[1] == timezone.datetime(2026, 3, 2, 9, 15)
    assert row[7:10] == ("97411", "219740115", 153001)
    assert row[16] == "Climat, Jeunesse"
    assert row[23:] == (
        "Institut de la concertation",
        timezone.datetime(2026, 3, 4, 16, 40),
        timezone.datetime(2026, 3, 4, 16, 40),
    )


def test_bulk_assignment_sends_one_email_listing_the_requests(
    client, queue, team_member, other_team_member, django_capture_on_commit_callbacks
):
    chosen = [queue["new"], queue["typed"], queue["mine"]]
    query = "&".join(f"id={request.pk}" for request in chosen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/bulk/intake/intakerequest/assign/?{query}&next=/admin/demandes/",
            {"assignee": other_team_member.pk},
        )
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["dominique.agent@example.org"]
    assert email.subject == "3 demandes vous sont confiées"
    lines = email.body.splitlines()
    assert lines[0] == "Camille Agent vous a confié 3 demandes :"
    for request in chosen:
        line = f"- {request.reference} — {request.collectivite_label}"
        assert line in lines
        assert lines[lines.index(line) + 1] == f"  {settings.BASE_URL}/admin/demandes/{request.pk}/"
    [html] = [content for content, mimetype in email.alternatives if mimetype == "text/html"]
    link = f"{settings.BASE_URL}/admin/demandes/{queue['new'].pk}/"
    assert f'<a href="{link}">TE-2026-00001</a>' in html
    assert_valid_html({"team_assigned_many.html": html})
    # Each request keeps its own entry in the audit log.
    for request in chosen:
        entry = RequestLogEntry.objects.for_instance(request).filter(action="intake.assigned").get()
        assert (entry.user, entry.data["assignee"]) == (team_member, other_team_member.pk)
    # Assigned again to the same person: nothing changes hands, nobody is emailed.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/bulk/intake/intakerequest/assign/?{query}", {"assignee": other_team_member.pk}
        )
    assert mail.outbox == []
    assert RequestLogEntry.objects.filter(action="intake.assigned").count() == 3


def test_bulk_assignment_to_oneself_emails_nobody(
    client, queue, team_member, django_capture_on_commit_callbacks
):
    query = f"id={queue['new'].pk}&id={queue['typed'].pk}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/bulk/intake/intakerequest/assign/?{query}", {"assignee": team_member.pk}
        )
    assert mail.outbox == []
    assert IntakeRequest.objects.filter(assignee=team_member).count() == 4


def read(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    "params",
    [
        "vue=toutes&q=contexte+nom&premier_echange=call_back&rendez_vous=aucun",
        "vue=toutes&rendez_vous=semaine-prochaine&indesirables=on&ordering=reference",
        "vue=toutes&export=csv",
        "vue=toutes&export=xlsx",
    ],
    ids=["search and filters", "next week with spam", "csv", "xlsx"],
)
def test_searches_filters_and_exports_run_the_same_queries_for_1_100_and_1000_requests(
    client, team_member, params
):
    partner = Partner.objects.create(name="Institut de la concertation")
    theme = Theme.objects.create(name="Climat")
    url = f"{QUEUE}?{params}"
    # One request that the search and filters find at every size, whatever today's weekday:
    # without appointment, or with one next week for the filter of next week's.
    first = intake_request(last_name="Nom", context="Contexte", first_exchange="call_back")
    if "semaine-prochaine" in params:
        next_monday = timezone.now() + timedelta(days=7 - timezone.localdate().weekday())
        Appointment.objects.create(
            request=first, starts_at=next_monday, ends_at=next_monday + timedelta(minutes=30)
        )
    counts = []
    for total in (1, 100, 1000):
        added = many_requests(total - IntakeRequest.objects.count())
        IntakeRequest.objects.filter(pk__in=[r.pk for r in added]).update(partner=partner)
        IntakeRequest.themes.through.objects.bulk_create(
            [IntakeRequest.themes.through(intakerequest=r, theme=theme) for r in added]
        )
        read(client.get(url))  # the referential's names are cached, as on a running server
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            content = read(response)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts
    if "export=csv" in params:
        assert len(csv_rows(content)) == 1001
        assert csv_rows(content)[1][EXPORT_HEADER.index("Partenaire")] == partner.name
    elif "semaine-prochaine" in params:
        # The first request, and the fifty booked in each batch when in three days it is
        # next week (from Friday on).
        today = timezone.localdate()
        booked_next_week = (today + timedelta(days=3)).isocalendar()[1] != today.isocalendar()[1]
        assert response.context["paginator"].count == 1 + 100 * booked_next_week
    elif "export" not in params:
        found = IntakeRequest.objects.without_booked_appointment()
        assert response.context["paginator"].count == found.count()


def test_a_search_counts_its_matches_up_to_a_ceiling(client, queue, monkeypatch):
    monkeypatch.setattr(SearchPaginator, "ceiling", 3)
    response = client.get(QUEUE, {"vue": "toutes", "q": "camille", "ordering": "reference"})
    # Seven requests say "Camille": four are counted, the first page lists them.
    assert response.context["paginator"].count == 4
    assert references(response) == [f"TE-2026-0000{n}" for n in range(1, 5)]
    html = response.content.decode()
    assert "<h2>Résultats : plus de 3 demandes, précisez la recherche</h2>" in html
    few = client.get(QUEUE, {"vue": "toutes", "q": "rochefourchat"})
    assert few.context["paginator"].count == 1
    assert "<h2>1 demande correspond</h2>" in few.content.decode()
