"""The public site's URLs plus /figures-de-test/, a page that exists only in the tests: a chart
of each kind and the map, drawn by the report tags under the public site's layout and CSP."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from intake.reports.charts import SUPPRESSED
from portal.urls import urlpatterns as portal_urlpatterns

FIGURES_URL = "/figures-de-test/"
MONTHS = [
    ("janv. 2026", 12),
    ("févr. 2026", 0),
    ("mars 2026", SUPPRESSED),
    ("avr. 2026", 1234),
]
KINDS = [
    ("Commune de moins de 1 000 habitants", 30),
    ("EPCI", "< 5"),
    ("Région", 7.5),
]
DEPARTEMENTS = {"75": 1234, "81": 12, "2A": SUPPRESSED, "971": 40, "2B": 0}
PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% load static report_tags %}'
    "{% block extra_head %}"
    '<link rel="stylesheet" href="{% static \'css/reports.css\' %}">'
    "{% endblock %}"
    '{% block content %}<div class="fr-container fr-py-4w"><h1>Figures de test</h1>'
    '{% bar_chart "Demandes par mois" "Nombre de demandes reçues chaque mois." months '
    'label_header="Mois" value_header="Demandes" %}'
    '{% bar_chart "Demandes par type de collectivité" "Répartition des demandes." kinds '
    'orientation="horizontal" label_header="Type" value_header="Demandes" patterned=True %}'
    '{% france_map "Demandes par département" "Nombre de demandes reçues par département." '
    'departements value_header="Demandes" %}'
    "</div>{% endblock %}"
)


def figures(request):
    return HttpResponse(
        PAGE.render({"months": MONTHS, "kinds": KINDS, "departements": DEPARTEMENTS}, request)
    )


urlpatterns = [path(FIGURES_URL.strip("/") + "/", figures), *portal_urlpatterns]
