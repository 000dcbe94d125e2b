from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

from . import health, public_posts, two_factor_views

handler500 = "portal.unavailable.server_error"

urlpatterns = [
    # Wagtail's own public password forms, under the portal's rate limits (before Wagtail's
    # routes, which they replace). The admin's sign-in has its lockout (portal/lockout.py).
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        public_posts.document_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        public_posts.page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("_util/login/", public_posts.frontend_login, name="wagtailcore_login"),
    # The admin's second factor (portal/two_factor.py), which its middleware asks for.
    path("admin/authentification/", include(two_factor_views)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("recherche/", home_views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("healthz", health.healthz, name="healthz"),
    path("", include("intake.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
