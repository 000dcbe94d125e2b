"""The DSFR as the public site loads it: only the parts its templates use, in one stylesheet and
one script committed under static/, so that nothing is built at install.

The whole bundle that django-dsfr's ``{% dsfr_css %}`` links weighs 700 KB (its legacy CSS for
browsers without custom properties included) plus 250 KB of utility classes, about 1,000 of
them icons; the portal uses core, the components below, the dark theme and a handful of icons.
This module concatenates django-dsfr's own per-part files (the "main" ones, without the legacy
CSS), in the order of DSFR's bundle, with their url()s rewritten to stay pointing at
django-dsfr's fonts and icons, plus the icon classes that the public templates name.

``manage.py build_dsfr_assets`` writes the files; run it after upgrading django-dsfr or when a
template starts using a component or an icon of the DSFR that is not listed here. A test fails
while the committed files differ from what ``build()`` returns.
"""

import posixpath
import re
from pathlib import Path

import dsfr
from django.conf import settings

DIST = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist"
# django-dsfr's own few rules (the error lists of Django's forms), last as it links them.
DJANGO_OVERRIDES = Path(dsfr.__file__).parent / "static" / "css" / "dsfr-django-overrides.css"
# Where the files go, under STATICFILES_DIRS[0], and their static paths.
STYLESHEET = "css/dsfr-portal.min.css"
SCRIPT = "js/dsfr-portal.module.min.js"

# The components the public templates (and the django-dsfr templates they render) use, in the
# order of DSFR's own bundle: a later component's rules override an earlier one's.
COMPONENTS = [
    "upload",
    "accordion",
    "badge",
    "logo",
    "button",
    "breadcrumb",
    "quote",
    "form",
    "link",
    "callout",
    "highlight",
    "pagination",
    "tag",
    "alert",
    "notice",
    "radio",
    "card",
    "checkbox",
    "input",
    "content",
    "skiplink",
    "select",
    "modal",
    "navigation",
    "footer",
    "tile",
    "search",
    "follow",
    "table",
    "header",
]
# The scripts: core first (it defines window.dsfr), the theme (scheme, and display: the theme
# dialog), then the components that have behaviour, each after those it builds on.
SCRIPTS = [
    "core/core.module.min.js",
    "scheme/scheme.module.min.js",
    "component/accordion/accordion.module.min.js",
    "component/breadcrumb/breadcrumb.module.min.js",
    "component/button/button.module.min.js",
    "component/checkbox/checkbox.module.min.js",
    "component/navigation/navigation.module.min.js",
    "component/modal/modal.module.min.js",
    "component/display/display.module.min.js",
    "component/header/header.module.min.js",
]
# The templates the public site renders; the admin's (Wagtail's own look) and the emails'
# never load the DSFR.
PUBLIC_TEMPLATES_EXCLUDED = ("wagtailadmin", "intake/backoffice", "intake/emails")
ICON = re.compile(r"\bfr-icon-[a-z0-9]+(?:-[a-z0-9]+)*")
URL = re.compile(r"url\((['\"]?)([^'\")]+)\1\)")
LICENCE = re.compile(r"/\*!.*?\*/\s*", re.DOTALL)
CHARSET = '@charset "UTF-8";'
HEADER = (
    "/*! DSFR v{version} | SPDX-License-Identifier: MIT | License-Filename: LICENSE.md | "
    "restricted use (see terms and conditions) */\n"
    "/* The parts of the DSFR the public site uses, from django-dsfr's files "
    "(manage.py build_dsfr_assets): {parts}. */\n"
)


def stylesheet_parts():
    return [
        "core/core.main.min.css",
        "scheme/scheme.min.css",
        *(f"component/{name}/{name}.main.min.css" for name in COMPONENTS),
    ]


def public_templates():
    root = settings.BASE_DIR / "templates"
    for path in sorted(root.rglob("*.html")):
        if not path.relative_to(root).as_posix().startswith(PUBLIC_TEMPLATES_EXCLUDED):
            yield path


def icons_used():
    """Every icon class the public templates name (fr-icon--sm and the like are sizes)."""
    return sorted(
        {
            name
            for path in public_templates()
            for name in ICON.findall(path.read_text())
            if not name.startswith("fr-icon--")
        }
    )


def version():
    return re.search(r"DSFR v([\d.]+)", (DIST / "core/core.main.min.css").read_text())[1]


def _body(part):
    """A part's rules, without its charset and licence lines (the file's header says them
    once), with url()s that point from static/css/ to django-dsfr's files."""
    text = (DIST / part).read_text()
    text = LICENCE.sub("", text.replace(CHARSET, "", 1), count=1)
    folder = posixpath.dirname(part)

    def relocate(match):
        quote, target = match.groups()
        if target.startswith(("data:", "http:", "https:", "/", "#")):
            return match[0]
        resolved = posixpath.normpath(posixpath.join("dsfr/dist", folder, target))
        return f"url({quote}../{resolved}{quote})"

    return URL.sub(relocate, text).strip()


def _icon_rules(names):
    """The rules of ``names`` from DSFR's icon files, each of which defines one class."""
    wanted = set(names)
    rules = {}
    for part in sorted((DIST / "utility/icons").glob("icons-*/icons-*.main.min.css")):
        part = part.relative_to(DIST).as_posix()
        for rule in re.findall(r"[^{}]+\{[^{}]*\}", _body(part)):
            classes = set(re.findall(r"\.(fr-icon-[a-z0-9-]+):", rule.split("{")[0]))
            if len(classes) == 1 and (name := classes.pop()) in wanted:
                rules[name] = rule
    missing = wanted - rules.keys()
    if missing:
        raise ValueError(f"No DSFR icon named {', '.join(sorted(missing))}.")
    return [rules[name] for name in names]


def build_stylesheet():
    parts = stylesheet_parts()
    icons = icons_used()
    described = [*parts, f"icons {' '.join(icons)}", DJANGO_OVERRIDES.name]
    header = HEADER.format(version=version(), parts=", ".join(described))
    body = "\n".join(
        [
            *(_body(part) for part in parts),
            *_icon_rules(icons),
            DJANGO_OVERRIDES.read_text().strip(),
        ]
    )
    return f"{CHARSET}\n{header}{body}\n"


def build_script():
    """The scripts, each in a block of its own: every one declares its own top-level
    constants, which would collide in a single module otherwise."""
    header = HEADER.format(version=version(), parts=", ".join(SCRIPTS))
    blocks = [
        "{\n" + LICENCE.sub("", (DIST / part).read_text(), count=1).strip() + "\n}"
        for part in SCRIPTS
    ]
    return header + "\n".join(blocks) + "\n"


def build():
    """{static path: content} of the files to commit."""
    return {STYLESHEET: build_stylesheet(), SCRIPT: build_script()}


def static_root():
    return Path(settings.STATICFILES_DIRS[0])
