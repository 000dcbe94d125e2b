"""What the portal keeps of a reply: the applicant's own words, as each mail client quotes
the history and signs, and the tokens that name a request."""

import pytest

from intake import inbound

REPLY = "Oui, mardi nous convient.\n\nCordialement,\nMarie"


@pytest.mark.parametrize(
    "history",
    [
        # Outlook desktop, French, under its rule.
        "\n\n________________________________\nDe : Territoires d'engagement <x@anct.gouv.fr>\n"
        "Envoyé : lundi 30 novembre 2026 10:12\nÀ : Marie\nObjet : Votre demande\n\nQuestion ?",
        # Outlook desktop, English.
        "\n\nFrom: Territoires d'engagement <x@anct.gouv.fr>\nSent: Monday, November 30, 2026"
        " 10:12 AM\nTo: Marie\nSubject: Your request\n\nQuestion?",
        # Outlook on the web writes the labels in bold in its text part.
        "\n\n*De :* Territoires d'engagement\n*Envoyé :* lundi 30 novembre 2026 10:12\n\nQ ?",
        # Older Outlook and Lotus.
        "\n\n-----Original Message-----\nFrom: x@anct.gouv.fr\n\nQuestion?",
        "\n\n-----Message d'origine-----\nDe : x@anct.gouv.fr\n\nQuestion ?",
        # Gmail, Thunderbird, Apple Mail, the attribution over one line or two.
        "\n\nLe lun. 30 nov. 2026 à 10:12, Territoires d'engagement <x@anct.gouv.fr> a écrit :"
        "\n> Question ?",
        "\n\nLe lun. 30 nov. 2026 à 10:12, Territoires d'engagement <x@anct.gouv.fr>\na écrit :"
        "\n\n> Question ?",
        "\n\nOn Mon, Nov 30, 2026 at 10:12 AM Territoires <x@anct.gouv.fr> wrote:\n> Question?",
        # A signature after "-- ", then a phone's footer.
        "\n-- \nMarie Dupont\nDGS, Mairie de Fresnes\n06 12 34 56 78",
        "\n\nEnvoyé de mon iPhone",
        "\n\nObtenir Outlook pour Android",
    ],
)
def test_the_quoted_history_and_signature_are_left_out(history):
    assert inbound.trim(REPLY + history) == REPLY


def test_a_line_starting_like_a_header_inside_the_reply_stays():
    text = "Voici nos dates.\nDe : lundi à vendredi, nous sommes joignables.\nMerci"

    assert inbound.trim(text) == text


def test_html_is_read_as_its_reader_sees_it():
    html = (
        "<html><head><style>p{margin:0}</style><title>Re</title></head><body>"
        "<p>Bonjour,</p><p>Nous serons <b>deux</b>&nbsp;élus.<br>À lundi.</p>"
        "<ul><li>Marie</li><li>Jean</li></ul>"
        '<div id="appendonsend"></div><hr><div id="divRplyFwdMsg">De : équipe</div>'
        "<p>Pourriez-vous…</p></body></html>"
    )

    assert inbound.trim(inbound.html_to_text(html)) == (
        "Bonjour,\n\nNous serons deux élus.\nÀ lundi.\n\nMarie\nJean"
    )


def test_a_blockquote_inside_the_reply_is_left_out_and_the_rest_kept():
    html = "<div>Avant<blockquote><div>Cité <b>ici</b></div></blockquote>Après</div>"

    assert inbound.trim(inbound.html_to_text(html)) == "Avant\n\nAprès"


def test_tokens_are_lower_case_and_only_valid_when_signed():
    token = inbound.reply_token(123456)
    [match] = inbound.tokens_in(
        inbound.parse(f"To: equipe+{token.upper()}@anct.gouv.fr\r\n\r\n".encode())
    )

    assert token == token.lower()
    assert inbound.request_pk_of(match) == 123456
    # The signature of one request on another's id.
    tampered = inbound.TOKEN.search(token.replace("-2n9c-", "-2n9d-"))
    assert tampered is not None
    assert inbound.request_pk_of(tampered) is None


def test_an_undecodable_message_still_reads():
    raw = (
        b"From: x@example.fr\r\nSubject: =?x-unknown?q?caf=E9?=\r\n"
        b"Content-Type: text/plain; charset=x-unknown\r\n\r\ncaf\xe9\r\n"
    )

    received = inbound.read(raw)

    assert received.text == "café"
