"""What the team's and the applicant's pages show of a request's thread."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from intake.attachments import kind_label
from intake.booking import slot_label as _slot_label
from intake.lifecycle.history import event_label as _event_label

register = template.Library()


@register.filter
def thread_text(body):
    """A message as the thread shows it: its status link stays a mention, never a secret."""
    return body.replace("{lien_suivi}", _("[lien de suivi personnel]"))


@register.filter
def event_label(entry):
    return _event_label(entry)


@register.filter
def slot_label(moment):
    """ "lundi 7 décembre, 14 h 30": a slot as the applicant and the team read it."""
    return _slot_label(moment)


@register.filter
def attachment_detail(attachment):
    """ "PDF – 1,2 Mo": what a download link says of its file."""
    return f"{kind_label(attachment.content_type)} – {filesizeformat(attachment.size)}"
