"""Replies as the applicants' mail clients write them, byte for byte what a server stores."""

from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone

QUESTION = (
    "Bonjour,\n\nPourriez-vous nous dire quelles instances participatives existent déjà ?\n\n"
    "L'équipe Territoires d'engagement"
)


def _message(*, sender, to, subject, **headers):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = f"<{abs(hash((sender, to, subject)))}@client.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return message


def outlook_reply(*, to, subject):
    """Outlook (desktop): text and HTML, the history under a rule and a "De : … Envoyé :"
    block, the reply signed in French."""
    text = (
        "Bonjour,\n\n"
        "Nous avons trois conseils de quartier et un budget participatif depuis 2024.\n\n"
        "Cordialement,\n"
        "Marie Dupont\n"
        "Directrice générale des services\n"
        "Mairie de Fresnes\n\n"
        "________________________________\n"
        "De : Territoires d'engagement <ne-pas-repondre@anct.gouv.fr>\n"
        "Envoyé : lundi 30 novembre 2026 10:12\n"
        "À : Marie Dupont <marie.dupont@fresnes.fr>\n"
        f"Objet : {subject.removeprefix('RE: ')}\n\n" + QUESTION
    )
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        "<style>p.MsoNormal{margin:0}</style></head><body>"
        '<div class="WordSection1"><p class="MsoNormal">Bonjour,</p>'
        '<p class="MsoNormal">Nous avons trois conseils de quartier et un budget participatif '
        'depuis 2024.</p><p class="MsoNormal">Cordialement,<br>Marie Dupont</p>'
        '<div id="divRplyFwdMsg"><hr><p><b>De :</b> Territoires d\'engagement<br>'
        "<b>Envoyé :</b> lundi 30 novembre 2026 10:12</p><p>Pourriez-vous…</p></div>"
        "</div></body></html>"
    )
    message = _message(
        sender="Marie Dupont <marie.dupont@fresnes.fr>",
        to=to,
        subject=subject,
        X_Mailer="Microsoft Outlook 16.0",
        Thread_Index="AdtJ2k3F0nQ1cR6fS1a9Xw==",
    )
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message.as_bytes()


def gmail_html_reply(*, to, subject):
    """Gmail's web client with a rich-text reply: HTML only, its "-- " signature in a
    gmail_signature block, the history in a gmail_quote blockquote after "Le … a écrit :"."""
    html = (
        '<div dir="ltr">Merci, c\'est noté.<div>Nous serons deux élus au rendez-vous&nbsp;: '
        "l'adjointe à la participation et moi.</div><div><br></div>"
        '<span class="gmail_signature_prefix">-- </span><br>'
        '<div dir="ltr" class="gmail_signature">Jean Martin<br>Maire adjoint</div></div><br>'
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">Le lun. 30 nov. 2026 à '
        "10:12, Territoires d'engagement &lt;ne-pas-repondre@anct.gouv.fr&gt; a écrit&nbsp;:"
        '<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">'
        "Bonjour,<br>Pourriez-vous…</blockquote></div>"
    )
    message = _message(sender="Jean Martin <jean.martin@gmail.com>", to=to, subject=subject)
    message.set_content(html, subtype="html")
    return message.as_bytes()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def reply_with_pdf(*, to, subject):
    """Thunderbird: plain text quoted with "> " under "Le … a écrit :", a PDF attached."""
    message = _message(sender="Camille Martin <camille@example.fr>", to=to, subject=subject)
    message.set_content(
        "Voici la délibération du conseil municipal.\n\n"
        "Le 30/11/2026 à 10:12, Territoires d'engagement a écrit :\n"
        "> Bonjour,\n> Pourriez-vous nous envoyer la délibération ?\n"
    )
    message.add_attachment(
        PDF, maintype="application", subtype="pdf", filename="Délibération du 12 novembre.pdf"
    )
    return message.as_bytes()


def forged(*, reference):
    """Someone who knows a request's reference, not its reply address."""
    message = _message(
        sender="Usurpateur <quelqu-un@malveillant.example>",
        to="territoires-engagement@anct.gouv.fr",
        subject=f"RE: Votre demande {reference}",
    )
    message.set_content(f"Merci de changer l'adresse de contact de la demande {reference}.")
    return message.as_bytes()


def huge(*, to, subject, megabytes):
    """A reply dragging a scan far over the limit."""
    message = _message(sender="Marie Dupont <marie.dupont@fresnes.fr>", to=to, subject=subject)
    message.set_content("Voici le scan de tous nos comptes rendus.")
    message.add_attachment(
        b"%PDF-1.4\n" + b"0" * (megabytes * 1024 * 1024),
        maintype="application",
        subtype="pdf",
        filename="scan.pdf",
    )
    return message.as_bytes()


def reply_with_files(*, to, files):
    message = _message(sender="Camille Martin <camille@example.fr>", to=to, subject="Documents")
    message.set_content("Voici nos documents.")
    for name, data in files:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()
