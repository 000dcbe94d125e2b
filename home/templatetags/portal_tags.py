"""Navigation and page furniture shared by every public template."""

from django import template
from django.conf import settings
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Site

from home.models import CARD_RENDITION

register = template.Library()


def _site_root(request):
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    root = _site_root(request)
    current = context.get("page")
    items = []
    if root is not None:
        for item in root.get_children().live().public().in_menu():
            items.append({"page": item, "aria_current": _aria_current(item, current)})
    return {
        "items": items,
        "is_home": current is not None and root is not None and current.pk == root.pk,
    }


def _aria_current(item, current):
    if current is None or not current.path.startswith(item.path):
        return None
    return "page" if current.pk == item.pk else "true"


@register.simple_tag
def page_breadcrumb(page):
    """The dict django-dsfr's breadcrumb expects, from the page's ancestors below home."""
    ancestors = page.get_ancestors().filter(depth__gt=2)
    return {
        "links": [{"url": ancestor.url, "title": ancestor.title} for ancestor in ancestors],
        "current": page.title,
    }


@register.simple_tag(takes_context=True)
def document_title(context):
    """What the page adds before the site name in <title>; nothing when it is the site name."""
    page = context.get("page")
    title = (
        (getattr(page, "seo_title", "") or getattr(page, "title", "")) if page else ""
    ) or context.get("title", "")
    return "" if str(title).strip() == settings.WAGTAIL_SITE_NAME else title


@register.simple_tag
def card_image(image):
    """A card's decorative image, in the rendition that listings prefetch."""
    rendition = get_rendition_or_not_found(image, CARD_RENDITION)
    return rendition.img_tag({"class": "fr-responsive-img", "alt": ""})


@register.filter
def french_hour(value):
    """14:00 → "14 h", 14:30 → "14 h 30", with non-breaking spaces (French typography)."""
    if not value:
        return ""
    if value.minute:
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    return f"{value.hour}\u00a0h"


@register.filter
def tel_href(phone):
    digits = "".join(char for char in phone if char.isdigit() or char == "+")
    if digits.startswith("0") and len(digits) == 10:
        digits = "+33" + digits[1:]
    return f"tel:{digits}"
