"""Intake routes that are not Wagtail pages: the referential's search, the status pages and
the team's calendar feeds."""

from django.urls import path

from .views import feeds, referential, tracking

app_name = "intake"

urlpatterns = [
    path(
        "demande/collectivites/",
        referential.collectivite_search,
        name="collectivite_search",
    ),
    path("agenda/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("suivi/", tracking.lost_link, name="lost_link"),
    path("suivi/<str:token>/", tracking.tracking, name="tracking"),
    path("suivi/<str:token>/rendez-vous.ics", tracking.appointment_ics, name="tracking_ics"),
    path(
        "suivi/<str:token>/rendez-vous/<int:pk>.ics",
        tracking.appointment_ics,
        name="tracking_session_ics",
    ),
    path(
        "suivi/<str:token>/pieces-jointes/<int:pk>/",
        tracking.attachment,
        name="tracking_attachment",
    ),
]
