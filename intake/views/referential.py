"""The JSON search of the referential of collectivités, behind the form's combobox."""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ..referential import MAX_QUERY_LENGTH, search_collectivites
from ..text import normalise

MIN_QUERY_LENGTH = 2
MAX_RESULTS = 10
# The referential changes once a year: browsers and shared caches may keep an answer a while.
CACHE_SECONDS = 300
JSON_OPTIONS = {"ensure_ascii": False}


@require_GET
@cache_control(public=True, max_age=CACHE_SECONDS)
def collectivite_search(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    if len(normalise(query)) < MIN_QUERY_LENGTH:
        return JsonResponse({"results": []}, json_dumps_params=JSON_OPTIONS)
    return JsonResponse(
        {
            "results": [
                {
                    "id": collectivite.pk,
                    "label": str(collectivite),
                    "name": collectivite.matched_name,
                    "description": collectivite.description,
                    "kind": collectivite.kind,
                    "kind_label": str(collectivite.get_kind_display()),
                    "departement_code": collectivite.departement_code,
                    "departement": collectivite.departement_name,
                    "population": collectivite.population,
                }
                for collectivite in search_collectivites(query, limit=MAX_RESULTS)
            ]
        },
        json_dumps_params=JSON_OPTIONS,
    )
