"""Small builders for pages and users; every page is created and published as an editor would."""

import itertools
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from home.models import ContentPage, TestimonialIndexPage, TestimonialPage, Theme

_sequence = itertools.count(1)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def content_page(parent, **fields):
    number = next(_sequence)
    fields.setdefault("title", f"Page {number}")
    fields.setdefault("slug", f"page-{number}")
    return publish(parent, ContentPage(**fields))


def testimonial_index(home, **fields):
    fields.setdefault("title", "Témoignages")
    fields.setdefault("slug", "temoignages")
    return publish(home, TestimonialIndexPage(**fields))


def theme(name="Participation citoyenne", slug=None):
    return Theme.objects.create(name=name, slug=slug or "")


def image(title="Image de test"):
    """One image per title, created on first use: cards then render a real rendition."""
    existing = Image.objects.filter(title=title).first()
    return existing or Image.objects.create(title=title, file=get_test_image_file())


def testimonial(index, themes=(), **fields):
    number = next(_sequence)
    if "image" not in fields:
        fields["image"] = image()
    fields.setdefault("title", f"Témoignage {number}")
    fields.setdefault("slug", f"temoignage-{number}")
    fields.setdefault("collectivite_name", f"Commune {number}")
    fields.setdefault("collectivite_kind", "commune")
    fields.setdefault("territory", "Ariège")
    fields.setdefault("summary", f"Résumé du témoignage {number}.")
    fields.setdefault("date", date(2025, 1, 1))
    page = TestimonialPage(**fields)
    page.themes = list(themes)
    return publish(index, page)


def user_in_group(group_name, username, **fields):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "motdepasse-test", **fields
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user
