"""Every public page of the demo content passes axe-core with zero violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils.text import slugify

from tests.chromium import violations_report
from tests.demo_urls import DEMO_PUBLIC_URLS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every demo URL, plus a filtered listing, search results, the request form, the "lost
# link" form and the 404 page.
DEMO_PAGES = [
    *DEMO_PUBLIC_URLS,
    "/demande/",
    "/suivi/",
    "/temoignages/?thematique=gestion-des-risques",
    "/recherche/?q=participation",
    "/page-qui-n-existe-pas/",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_demo_pages_have_no_axe_violations(demo_server, page, screenshot, scheme):
    axe = Axe()
    page.emulate_media(color_scheme=scheme)
    failures = {}
    for path in DEMO_PAGES:
        response = page.goto(demo_server.url + path)
        assert response.status == (404 if "n-existe-pas" in path else 200), path
        results = axe.run(page)
        if results.violations_count:
            failures[path] = violations_report(results)
        screenshot(page, f"{scheme}-{slugify(path) or 'accueil'}")
    assert not failures, "\n\n".join(f"{path}\n{report}" for path, report in failures.items())
