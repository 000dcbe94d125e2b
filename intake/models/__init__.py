"""Requests and what they need: the referential of collectivités, bookings, messages."""

from .attachments import *  # noqa: F403
from .audit import *  # noqa: F403
from .booking import *  # noqa: F403
from .collectivite import *  # noqa: F403
from .digest import *  # noqa: F403
from .feedback import *  # noqa: F403
from .feeds import *  # noqa: F403
from .form_keys import *  # noqa: F403
from .mailbox import *  # noqa: F403
from .needs import *  # noqa: F403
from .outbox import *  # noqa: F403
from .pages import *  # noqa: F403
from .periodic import *  # noqa: F403
from .replies import *  # noqa: F403
from .request import *  # noqa: F403
from .sessions import *  # noqa: F403
from .settings import *  # noqa: F403
