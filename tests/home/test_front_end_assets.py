"""The DSFR the public pages load: only its parts that the site uses, one stylesheet and one
script committed under static/ and in step with django-dsfr, every icon that a template names
defined, the fonts of the first screen preloaded, the theme dialog's pictures left for later."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders

from home import dsfr_assets
from tests.demo_urls import DEMO_PUBLIC_URLS

PUBLIC_PAGES = [*DEMO_PUBLIC_URLS, "/demande/", "/suivi/"]
TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
# Scanned on their own here, not through home.dsfr_assets: an icon the build would miss fails.
PRIVATE_TEMPLATES = ("wagtailadmin", "intake/backoffice", "intake/emails")
ICON = re.compile(r"\bfr-icon-[a-z0-9]+(?:-[a-z0-9]+)*")
FONT_FACE_URL = re.compile(r"@font-face\{[^}]*?url\(([^)]+\.woff2)\)")


class Assets(HTMLParser):
    """The stylesheets, scripts, preloads and class names of a page."""

    def __init__(self):
        super().__init__()
        self.stylesheets, self.scripts, self.preloads, self.classes = [], [], [], set()
        self.references = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.classes.update((attrs.get("class") or "").split())
        self.references += [attrs[name] for name in ("href", "src") if attrs.get(name)]
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        elif tag == "link" and attrs.get("rel") == "preload":
            self.preloads.append(attrs)
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])


def assets_of(response):
    assert response.status_code == 200
    parser = Assets()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def static_served(settings, tmp_path):
    """Static files answered by WhiteNoise inside the stack, as in production (the finders'
    files, not collected)."""
    position = settings.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:position],
        "whitenoise.middleware.WhiteNoiseMiddleware",
        *settings.MIDDLEWARE[position:],
    ]
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT = tmp_path


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content).decode()


def icons_in_public_templates():
    icons = {}
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if not name.startswith(PRIVATE_TEMPLATES):
            for icon in ICON.findall(path.read_text()):
                if not icon.startswith("fr-icon--"):
                    icons.setdefault(icon, name)
    return icons


def defines(css, name):
    return re.search(rf"\.{re.escape(name)}:(?::)?before", css) is not None


def test_the_committed_files_are_what_the_build_writes():
    for path, content in dsfr_assets.build().items():
        committed = (dsfr_assets.static_root() / path).read_text()
        assert committed == content, f"{path} is stale: run manage.py build_dsfr_assets"


def test_the_build_refuses_an_icon_the_dsfr_does_not_have():
    with pytest.raises(ValueError, match="No DSFR icon named fr-icon-no-such-line"):
        dsfr_assets._icon_rules(["fr-icon-arrow-right-line", "fr-icon-no-such-line"])


def test_every_url_of_the_stylesheet_is_a_static_file():
    # The manifest storage of production refuses to collect a stylesheet whose url() is
    # missing; the icons and fonts stay django-dsfr's own files.
    css = (dsfr_assets.static_root() / dsfr_assets.STYLESHEET).read_text()
    targets = {
        target for target in re.findall(r"url\(([^)\"']+)\)", css) if not target.startswith("data:")
    }
    assert len(targets) > 40
    origin = f"{dsfr_assets.STYLESHEET.rsplit('/', 1)[0]}/"
    missing = [t for t in targets if not finders.find(urljoin(origin, t).lstrip("/"))]
    assert missing == []


def test_public_pages_load_the_dsfr_parts_and_not_the_bundle(client, demo_site, static_served):
    for path in PUBLIC_PAGES:
        assets = assets_of(client.get(path))
        dsfr = [url for url in assets.stylesheets + assets.scripts if "dsfr" in url]
        assert dsfr == ["/static/css/dsfr-portal.min.css", "/static/js/dsfr-portal.module.min.js"]
        for url in assets.stylesheets + assets.scripts:
            assert "legacy" not in url and "nomodule" not in url, (path, url)
            assert not url.startswith(("/static/dsfr/dist/dsfr/", "/static/dsfr/dist/utility/"))
        # The theme dialog's pictures are fetched when it opens (static/js/theme-dialog.js).
        assert not [url for url in assets.references if "/artwork/" in url], path


def test_every_icon_of_the_public_templates_and_pages_is_in_the_css_served(
    client, demo_site, static_served
):
    home = assets_of(client.get("/"))
    css = "".join(served(client, url) for url in home.stylesheets)
    # Every icon class whatever page names it (the status page's, the confirmation's…).
    templates = icons_in_public_templates()
    assert {"fr-icon-theme-fill", "fr-icon-arrow-right-line", "fr-icon-calendar-line"} <= set(
        templates
    )
    assert {icon: where for icon, where in templates.items() if not defines(css, icon)} == {}
    for path in PUBLIC_PAGES:
        icons = {name for name in assets_of(client.get(path)).classes if ICON.fullmatch(name)}
        assert [icon for icon in icons if not defines(css, icon)] == [], path
    # Of the DSFR's thousand icon classes, only those.
    defined = set(re.findall(r"\.(fr-icon-[a-z0-9][a-z0-9-]*):(?::)?before", css))
    assert defined == set(templates)


def test_the_fonts_of_the_first_screen_are_preloaded_as_the_stylesheet_names_them(
    client, demo_site, static_served
):
    home = assets_of(client.get("/"))
    [stylesheet] = [url for url in home.stylesheets if "dsfr" in url]
    faces = {urljoin(stylesheet, url) for url in FONT_FACE_URL.findall(served(client, stylesheet))}
    preloads = [attrs["href"] for attrs in home.preloads]
    assert [href.rsplit("/", 1)[1] for href in preloads] == [
        "Marianne-Regular.woff2",
        "Marianne-Bold.woff2",
        "Marianne-Medium.woff2",
    ]
    # The same addresses as the @font-face rules, fetched in CORS mode as fonts are: anything
    # else would fetch each face twice.
    assert set(preloads) <= faces
    for attrs in home.preloads:
        assert attrs["as"] == "font" and attrs["type"] == "font/woff2"
        assert "crossorigin" in attrs
