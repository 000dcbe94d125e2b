"""Navigation and page furniture shared by every public template."""

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Page

from home.cache import fragment, hold_until, holding
from home.models import CARD_RENDITION, RequestFormPageMixin
from home.serving import breadcrumb_ancestors, top_pages
from home.typography import french_hour, french_time, french_when

register = template.Library()


def _request_form_page(request):
    _root, children = top_pages(request)
    # specific_class is None for a page whose model is gone.
    return next(
        (
            page
            for page in children
            if issubclass(page.specific_class or Page, RequestFormPageMixin)
        ),
        None,
    )


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    root, children = top_pages(request)
    current = context.get("page")
    form_page = _request_form_page(request)
    items = [
        _menu_item(request, page, page.title, current)
        for page in children
        if page.show_in_menus and page != form_page
    ]
    if form_page is not None:
        items.append(_menu_item(request, form_page, _("Faire une demande"), current))
    return {
        "items": items,
        "is_home": current is not None and root is not None and current.pk == root.pk,
    }


def _menu_item(request, page, label, current):
    url = page.get_url(request)
    return {"url": url, "label": label, "aria_current": _aria_current(page, url, current, request)}


def _aria_current(item, url, current, request):
    """`page` at the item's own address, `true` below it (subpages, a routable page's views)."""
    if current is None or not current.path.startswith(item.path):
        return None
    return "page" if current.pk == item.pk and request.path == url else "true"


@register.simple_tag(takes_context=True)
def request_form_page(context):
    """The live request form page under the site's root, or None."""
    return _request_form_page(context.get("request"))


@register.simple_tag(takes_context=True)
def page_breadcrumb(context, page):
    """The dict django-dsfr's breadcrumb expects, from the page's ancestors below home."""
    request = context.get("request")
    ancestors = breadcrumb_ancestors(page)
    return {
        "links": [
            {"url": ancestor.get_url(request), "title": ancestor.title} for ancestor in ancestors
        ],
        "current": page.title,
    }


@register.simple_tag(takes_context=True)
def page_tree_list(context, node):
    """The site map's nested lists of (page, children) nodes, built here: an include per page
    costs about a millisecond, five seconds for 5,000 pages."""
    request = context.get("request")

    def item(node):
        page, children = node
        below = format_html("<ul>{}</ul>", _items(children)) if children else ""
        return format_html(
            '<li><a href="{}">{}</a>{}</li>', page.get_url(request), page.title, below
        )

    def _items(nodes):
        return format_html_join("", "{}", ((item(child),) for child in nodes))

    return format_html("<ul>{}</ul>", item(node))


@register.tag
def shell_fragment(parser, token):
    """{% shell_fragment "name" %}…{% endshell_fragment %}: a part of the page shell rendered
    once per generation of the shared cache (home/cache.py), whatever the page."""
    name = parser.compile_filter(token.split_contents()[1])
    nodelist = parser.parse(("endshell_fragment",))
    parser.delete_first_token()
    return ShellFragmentNode(name, nodelist)


class ShellFragmentNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        return fragment(
            request,
            self.name.resolve(context),
            lambda: holding(request, lambda: mark_safe(self.nodelist.render(context))),
        )


@register.simple_tag(takes_context=True)
def hold_page_until(context, moment):
    """The page shows data that holds until ``moment``: the page cache keeps it no longer."""
    hold_until(context.get("request"), moment)
    return ""


@register.simple_tag(takes_context=True)
def document_title(context):
    """What the page adds before the site name in <title>; nothing when it is the site name.
    A view's own title wins over its page's (the form page's confirmation, say)."""
    page = context.get("page")
    title = context.get("title", "") or (
        (getattr(page, "seo_title", "") or getattr(page, "title", "")) if page else ""
    )
    return "" if str(title).strip() == settings.WAGTAIL_SITE_NAME else title


@register.simple_tag
def result_count(count, query=""):
    """A listing's count in French: "Aucun résultat", "1 résultat", "2 résultats", for the
    query when there is one. French puts 0 in the singular, so none has its own words."""
    if not count:
        if query:
            return _("Aucun résultat pour « %(query)s »") % {"query": query}
        return _("Aucun résultat")
    if query:
        message = ngettext(
            "%(count)s résultat pour « %(query)s »", "%(count)s résultats pour « %(query)s »", count
        )
    else:
        message = ngettext("%(count)s résultat", "%(count)s résultats", count)
    return message % {"count": count, "query": query}


@register.simple_tag
def card_image(image):
    """A card's decorative image, in the rendition that listings prefetch."""
    rendition = get_rendition_or_not_found(image, CARD_RENDITION)
    return rendition.img_tag({"class": "fr-responsive-img", "alt": ""})


register.filter("french_hour", french_hour)
register.filter("french_time", french_time)
register.filter("french_when", french_when)


@register.filter
def tel_href(phone):
    digits = "".join(char for char in phone if char.isdigit() or char == "+")
    if digits.startswith("0") and len(digits) == 10:
        digits = "+33" + digits[1:]
    return f"tel:{digits}"
