"""Navigation and page furniture shared by every public template."""

from django import template
from wagtail.models import Site

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


@register.filter
def tel_href(phone):
    digits = "".join(char for char in phone if char.isdigit() or char == "+")
    if digits.startswith("0") and len(digits) == 10:
        digits = "+33" + digits[1:]
    return f"tel:{digits}"
