from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from home.models import HomePage
from tests import factories, two_factor


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, shared Redis included (CI sets REDIS_URL)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    """pytest-django's client, whose force_login passes the second factor too."""
    return two_factor.Client()


@pytest.fixture
def home(db):
    """The home page the migrations create."""
    return HomePage.objects.get(depth=2)


@pytest.fixture
def demo_site(db):
    call_command("load_demo_content", stdout=StringIO())
    return HomePage.objects.get(depth=2)


@pytest.fixture
def index(home):
    return factories.testimonial_index(home)


@pytest.fixture
def editor(db):
    return factories.user_in_group("Éditeurs", "editrice")


@pytest.fixture
def moderator(db):
    return factories.user_in_group("Modérateurs", "moderateur")
