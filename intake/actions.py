"""The one shape of a screen's action: the form it binds and the one command its valid answer
runs. The status page, the request page and the appointment screens each keep a table of them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    form_class: type
    # run(target, form, by): the request (or appointment) acted on, the valid form, and the
    # team member acting (None for the applicant).
    run: Callable
    success: str  # the message once done
    label: str = ""  # the button and page title, on screens with one form per page
    prefix: str | None = None  # the form's prefix, on pages holding several forms
