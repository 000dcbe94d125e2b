"""A listing's page and its total in one query."""

from django.core.paginator import Page, PageNotAnInteger, Paginator
from django.db.models import Count, Window


class CountedPaginator(Paginator):
    """Django's paginator counts the rows, then reads the page's: this one reads the page's
    rows with the total beside each (a window count), and counts apart only for a page past
    the end, which then shows the last, as ``get_page`` does."""

    def get_page(self, number):
        try:
            number = max(1, int(number))
        except (PageNotAnInteger, TypeError, ValueError):
            number = 1
        start = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(listing_total=Window(Count("pk")))[
                start : start + self.per_page
            ]
        )
        if not rows and number > 1:
            return super().get_page(number)
        # Paginator.count is a cached property: what the query said is kept as its value.
        self.count = rows[0].listing_total if rows else 0
        return Page(rows, number, self)
