"""The page cache across app servers: two gunicorn instances of the production settings on one
PostgreSQL database and one Redis. A page one of them keeps is served from the shared cache
(a change written behind the cache's back does not show), and a page published elsewhere is
served fresh by both at once, on the next request."""

import urllib.request

import pytest

from tests.processes import free_port, manage

from .conftest import PROXY_HEADERS, start_gunicorn, stop, wait_until_healthy

# What the load balancer passes on to every app server: one site, one Host.
HEADERS = {**PROXY_HEADERS, "Host": "localhost"}
PUBLISH = """
from home.models import ContentPage
page = ContentPage.objects.get(slug="la-cellule")
page.title = "Publiée depuis un autre serveur"
page.save_revision().publish()
"""


@pytest.fixture(scope="module")
def second_server(stack, tmp_path_factory):
    """A second app server of the stack, with its settings, database and Redis."""
    port = free_port()
    url = f"http://localhost:{port}"
    logs = {"second gunicorn": tmp_path_factory.mktemp("second") / "gunicorn.log"}
    processes = {"second gunicorn": start_gunicorn(port, stack.env, logs["second gunicorn"])}
    try:
        wait_until_healthy(url, processes, logs)
        yield url
    finally:
        stop(processes)


def fetch(url):
    request = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read().decode()


def test_a_page_published_elsewhere_is_served_fresh_by_the_other_server(stack, second_server):
    status, headers, kept = fetch(second_server + "/la-cellule/")
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=60"
    assert "<h1>La cellule de conseil" in kept
    # Written behind the cache's back (no signal): both servers still serve the kept page.
    stack.query(
        "UPDATE wagtailcore_page SET title = 'Écrit sans publier' "
        "WHERE slug = 'la-cellule' RETURNING id"
    )
    for server in (second_server, stack.url):
        assert fetch(server + "/la-cellule/")[2] == kept

    manage(stack.env, "shell", "-c", PUBLISH)

    for server in (second_server, stack.url):
        fresh = fetch(server + "/la-cellule/")[2]
        assert "<h1>Publiée depuis un autre serveur</h1>" in fresh
        # The shell's fragments too: the menu of every other page names it.
        assert "Publiée depuis un autre serveur" in fetch(server + "/")[2]
        assert "Écrit sans publier" not in fresh
