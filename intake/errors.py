"""The refusals of the domain: a typed exception whose French message the views show as is."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Something the domain refuses to do; ``message`` is French and may be shown as is."""

    default_message = _("Cette action n'est pas possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)
