"""Applicants' replies by email: the reply address that names a request, and the reading of
a received message (its token, its own words without the quoted history, its files).

The token is ``r-<request id in base 36>-<HMAC>``, derived from the secret key: whoever
knows a request's reference or id cannot forge it, and nothing needs storing. Changing
SECRET_KEY retires the reply addresses already sent (those replies go to "À trier").
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "intake.inbound.reply-token"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# Lower case only: some mail servers fold the local part of an address.
TOKEN = re.compile(r"\br-([0-9a-z]{1,12})-([0-9a-f]{20})\b")
# Where a reply's token can be: the address it was sent to, as each server records it.
TOKEN_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "Subject")


def _base36(number):
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = _DIGITS[digit] + digits
        if not number:
            return digits


def _signature(key):
    return salted_hmac(_SALT, key, algorithm="sha256").hexdigest()[:20]


def reply_token(request_pk):
    key = _base36(request_pk)
    return f"r-{key}-{_signature(key)}"


def reply_address(request_pk):
    """The team's mailbox with the request's token (plus-addressing), or None when the
    portal sends no reply address (REPLY_ADDRESS empty)."""
    if not settings.REPLY_ADDRESS:
        return None
    local, _at, domain = settings.REPLY_ADDRESS.rpartition("@")
    return f"{local}+{reply_token(request_pk)}@{domain}"


def request_pk_of(token_match):
    """The request id a token names, if its signature holds; None for a forged one."""
    key, signature = token_match.group(1), token_match.group(2)
    if not constant_time_compare(signature, _signature(key)):
        return None
    return int(key, 36)


# Reading a message


@dataclass
class ReceivedEmail:
    sender: str
    subject: str
    message_id: str
    received_at: datetime
    # Every token found (valid or not), as found.
    tokens: list
    automatic: bool
    text: str = ""
    files: list = field(default_factory=list)


def parse(raw):
    return BytesParser(policy=policy.default).parsebytes(raw)


def _header(message, name):
    try:
        return str(message.get(name, "") or "")
    except (ValueError, TypeError):
        # A malformed header: read as nothing rather than fail the whole message.
        return ""


def _date(message):
    try:
        date = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError):
        return timezone.now()
    if timezone.is_naive(date):
        date = timezone.make_aware(date, timezone.get_default_timezone())
    return date


def _is_automatic(message):
    """An out-of-office answer, a delivery report or a mailing: never an applicant's reply."""
    auto = _header(message, "Auto-Submitted").strip().lower()
    precedence = _header(message, "Precedence").strip().lower()
    return (
        (auto not in ("", "no"))
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or bool(_header(message, "X-Autoreply") or _header(message, "X-Autorespond"))
        or message.get_content_type() == "multipart/report"
        or parseaddr(_header(message, "From"))[1].lower().startswith("mailer-daemon@")
    )


def tokens_in(message):
    found = []
    for name in TOKEN_HEADERS:
        values = message.get_all(name) or []
        for value in values:
            found += TOKEN.findall(str(value).lower())
    return [TOKEN.search(f"r-{key}-{signature}") for key, signature in found]


def headers_only(message):
    """What the list shows of a message, and its tokens, without reading its body."""
    _name, address = parseaddr(_header(message, "From"))
    return ReceivedEmail(
        sender=address or _header(message, "From"),
        subject=" ".join(_header(message, "Subject").split()),
        message_id=_header(message, "Message-ID").strip(),
        received_at=_date(message),
        tokens=tokens_in(message),
        automatic=_is_automatic(message),
    )


def read(raw):
    """The message's sender, subject, tokens, own text (quoted history and signature left out)
    and attached files as (name, bytes)."""
    message = parse(raw)
    received = headers_only(message)
    received.text = trim(full_text(message))
    received.files = _files(message)
    return received


def full_text(message):
    """The message's text as it came, quotes included: its text part, or its HTML as text."""
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return _content(part)
    part = message.get_body(preferencelist=("html",))
    if part is not None:
        return html_to_text(_content(part))
    return ""


def _content(part):
    try:
        return part.get_content()
    except (LookupError, ValueError):
        # An unknown charset: the bytes as Latin-1 lose no byte and never fail.
        return (part.get_payload(decode=True) or b"").decode("latin-1")


def attachment_names(message):
    return [part.get_filename() for part in message.iter_attachments() if part.get_filename()]


def _files(message):
    files = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if not name:
            continue
        files.append((name, part.get_payload(decode=True) or b""))
    return files


# HTML-only replies (Gmail's, webmails'): the text a reader sees, quoted history left out.


class _TextOf(HTMLParser):
    # Elements that start a paragraph (a blank line) or a line of their own; <br> breaks a line.
    PARAGRAPHS = {"p", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
    LINES = {"div", "li", "tr", "hr", "section", "article", "header", "footer"}
    SKIPPED = {"style", "script", "head", "title", "blockquote"}
    VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base"}
    # The wrappers of the quoted history and of the signature that Gmail, Outlook on the
    # web, Thunderbird and Yahoo write: everything from there on follows the reply.
    QUOTE_CLASSES = {
        "gmail_quote",
        "gmail_extra",
        "gmail_signature",
        "moz-cite-prefix",
        "moz-signature",
        "yahoo_quoted",
    }
    QUOTE_IDS = {"divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.newlines = 0  # how many line breaks the text ends with
        self.skipping = []  # the tags opened since a skipped element started
        self.stopped = False

    def _break(self, count):
        if self.parts and self.newlines < count:
            self.parts.append("\n" * (count - self.newlines))
            self.newlines = count

    def _block(self, tag):
        if tag in self.PARAGRAPHS:
            self._break(2)
        elif tag in self.LINES:
            self._break(1)

    def _starts_history(self, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        return bool(classes & self.QUOTE_CLASSES) or (
            (attrs.get("id") or "").lower() in self.QUOTE_IDS
        )

    def handle_starttag(self, tag, attrs):
        if self.stopped:
            return
        if self.skipping:
            if tag not in self.VOID:
                self.skipping.append(tag)
        elif self._starts_history(attrs):
            # Everything after the reply's own words is history.
            self.stopped = True
        elif tag in self.SKIPPED:
            self._block(tag)
            self.skipping.append(tag)
        elif tag == "br":
            self.parts.append("\n")
            self.newlines += 1
        else:
            self._block(tag)

    def handle_endtag(self, tag):
        if self.stopped:
            return
        if self.skipping:
            if tag in self.skipping:
                # Close up to the element, whatever it left unclosed inside.
                del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag) :]
                if not self.skipping:
                    self._block(tag)
            return
        self._block(tag)

    def handle_data(self, data):
        if self.skipping or self.stopped:
            return
        text = re.sub(r"\s+", " ", data)
        if text.strip():
            self.parts.append(text)
            self.newlines = 0


def html_to_text(html):
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


# Quoted history and signatures


_HISTORY = [
    # Outlook: "-----Original Message-----", "-----Message d'origine-----".
    re.compile(r"^\s*-{2,}\s*(original message|message d'origine)\s*-{2,}\s*$", re.I | re.M),
    # Outlook: a "De : …" (or "From: …") line, then "Envoyé : …" / "Sent: …" / "Date : …".
    re.compile(
        r"^\s*\**(de|from)\s?:\**.*\n(\s*\**[^\n:]{1,20}\s?:.*\n){0,3}?"
        r"\s*\**(envoyé|sent|date)\s?:",
        re.I | re.M,
    ),
    # Gmail, Apple Mail, Thunderbird: "Le … a écrit :", "On … wrote:", over one or two lines.
    re.compile(r"^\s*(le|on)\s[^\n]*(\n[^\n]*)?\s(a écrit|wrote)\s?:\s*$", re.I | re.M),
]
# Outlook's line of underscores above its header block.
_RULE = re.compile(r"\n\s*_{10,}\s*$")
_SIGNATURE = re.compile(r"^-- ?$", re.M)
_MOBILE_FOOTER = re.compile(
    r"^\s*(envoyé de mon|sent from my|obtenir outlook pour|get outlook for|"
    r"télécharger outlook pour)\b.*$",
    re.I | re.M,
)


def trim(text):
    """The reply's own words: the quoted history (Outlook, Gmail, "> " lines) and the "-- "
    signature left out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cut = len(text)
    for pattern in _HISTORY:
        found = pattern.search(text)
        if found:
            cut = min(cut, found.start())
    text = _RULE.sub("", text[:cut])
    signature = _SIGNATURE.search(text)
    if signature:
        text = text[: signature.start()]
    text = _MOBILE_FOOTER.sub("", text)
    lines = [line.rstrip() for line in text.split("\n") if not line.startswith(">")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
