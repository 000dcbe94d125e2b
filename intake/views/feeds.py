"""A team member's calendar feed, read by their calendar at its secret address: public (a
calendar cannot sign in), answered only while its holder is in the team."""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from .. import feeds
from ..lifecycle import feeds as feed_commands
from ..models import CalendarFeed


@require_GET
def calendar_feed(http_request, token):
    feed = CalendarFeed.objects.for_token(token)
    if feed is None or not CalendarFeed.allowed_for(feed.user):
        raise Http404
    feed_commands.record_fetch(feed)
    response = HttpResponse(feeds.calendar(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    # The address is the secret: never sent on as a referrer, never indexed, never kept by a
    # shared cache.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, max_age=0)
    return response
