"""Where a data migration puts a new page: historical models have no treebeard methods."""

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def last_child_fields(page_model, parent, slug):
    """The tree fields of a page added as ``parent``'s last child under ``slug``."""
    children = page_model.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
    last_child = children.order_by("-path").first()
    position = int(last_child.path[-STEPLEN:], 36) + 1 if last_child else 1
    segment = ""
    for _ in range(STEPLEN):
        position, digit = divmod(position, 36)
        segment = ALPHABET[digit] + segment
    return {
        "path": parent.path + segment,
        "depth": parent.depth + 1,
        "numchild": 0,
        "url_path": f"{parent.url_path}{slug}/",
        "slug": slug,
        "locale_id": parent.locale_id,
    }


def count_children(page_model, parent):
    """Sets ``parent``'s child count from the tree, after a data migration added one."""
    children = page_model.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
    page_model.objects.filter(pk=parent.pk).update(numchild=children.count())
