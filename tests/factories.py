"""Small builders for pages and users; every page is created and published as an editor would."""

import itertools
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

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


def content_page_tree(parent, sections, per_section):
    """``sections`` live content pages under ``parent``, each with ``per_section`` - 1 live
    children, written in a few bulk inserts: treebeard's add_child costs a few queries a page,
    minutes for thousands. No revision and no signal: a site map reads the tree only."""
    content_type = ContentType.objects.get_for_model(ContentPage)
    steplen = Page.steplen

    def rows(under, count, title):
        last = under.get_last_child()
        first_step = Page._str2int(last.path[-steplen:]) + 1 if last else 1
        return [
            Page(
                title=title(number),
                draft_title=title(number),
                slug=f"p-{number}",
                path=under.path + Page._int2str(first_step + number).rjust(steplen, "0"),
                depth=under.depth + 1,
                url_path=f"{under.url_path}p-{number}/",
                live=True,
                content_type=content_type,
                locale_id=under.locale_id,
            )
            for number in range(count)
        ]

    def insert(pages):
        pages = Page.objects.bulk_create(pages)
        ContentPage.objects._insert(
            [ContentPage(page_ptr_id=page.pk, introduction="", body=[]) for page in pages],
            fields=ContentPage._meta.local_concrete_fields,
            raw=True,
        )
        return pages

    tops = insert(rows(parent, sections, lambda number: f"Rubrique {number}"))
    children = []
    for top in tops:
        top.numchild = per_section - 1
        children += rows(top, per_section - 1, lambda number, top=top: f"{top.title}.{number}")
    insert(children)
    Page.objects.bulk_update(tops, ["numchild"])
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + sections)
    return sections * per_section
