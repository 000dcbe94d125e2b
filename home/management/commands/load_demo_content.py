"""Build the demo site from the service's text. Idempotent: what exists is left untouched."""

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Site

from home import demo_content as demo
from home.blocks import BodyBlock
from home.models import (
    ContentPage,
    HomePage,
    PortalSettings,
    SitemapPage,
    TestimonialIndexPage,
    TestimonialPage,
    Theme,
)


class Command(BaseCommand):
    help = "Crée le contenu de démonstration du portail (sans effet s'il existe déjà)."

    @transaction.atomic
    def handle(self, *args, **options):
        # The demo's pages are the admin's work: reports and history name who published.
        self.admin = self.ensure_admin()
        home = self.ensure_home()
        self.ensure_settings()
        themes = self.ensure_themes()
        offer = self.ensure_page(home, ContentPage, demo.OFFER, show_in_menus=True)
        index = self.ensure_page(
            home, TestimonialIndexPage, demo.TESTIMONIAL_INDEX, show_in_menus=True
        )
        for data in demo.TESTIMONIALS:
            self.ensure_testimonial(index, data, themes)
        for data in (demo.ACCESSIBILITY, demo.LEGAL, demo.PRIVACY):
            self.ensure_page(home, ContentPage, data)
        self.ensure_page(home, SitemapPage, demo.SITEMAP)
        self.fill_home(home, offer, index)

    def log(self, message):
        self.stdout.write(message)

    def ensure_home(self):
        site = Site.objects.get(is_default_site=True)
        base_url = urlsplit(settings.BASE_URL)
        site.hostname = base_url.hostname or "localhost"
        site.port = base_url.port or (443 if base_url.scheme == "https" else 80)
        site.save()
        return site.root_page.specific

    def ensure_settings(self):
        portal = PortalSettings.load()
        if portal.permanence_contacts:
            return
        portal.permanence_contacts = [("contact", contact) for contact in demo.PERMANENCE_CONTACTS]
        portal.team_email = demo.PERMANENCE_CONTACTS[0]["email"]
        portal.save()
        self.log("Paramètres du portail : permanence et contacts renseignés.")

    def ensure_themes(self):
        themes = {}
        for name, slug in demo.THEMES:
            themes[slug], created = Theme.objects.get_or_create(slug=slug, defaults={"name": name})
            if created:
                self.log(f"Thématique créée : {name}")
        return themes

    def ensure_page(self, parent, model, data, **extra):
        existing = parent.get_children().filter(slug=data["slug"]).first()
        if existing is not None:
            return existing.specific
        fields = {**data, **extra}
        if "body" in fields:
            fields["body"] = BodyBlock().to_python(fields["body"])
        page = model(**fields)
        parent.add_child(instance=page)
        self.publish(page)
        self.log(f"Page créée : {page.url}")
        return page

    def ensure_testimonial(self, index, data, themes):
        data = dict(data)
        theme_slugs = data.pop("themes")
        if index.get_children().filter(slug=data["slug"]).exists():
            return
        page = TestimonialPage(**{**data, "body": BodyBlock().to_python(data["body"])})
        page.themes = [themes[slug] for slug in theme_slugs]
        index.add_child(instance=page)
        self.publish(page)
        self.log(f"Témoignage créé : {page.url}")

    def fill_home(self, home, offer, index):
        if not isinstance(home, HomePage) or home.hero_title:
            return
        for field, value in demo.HOME.items():
            setattr(home, field, value)
        home.highlights = BodyBlock().to_python(demo.home_highlights(offer.url, index.url))
        self.publish(home)
        self.log("Page d'accueil renseignée.")

    def publish(self, page):
        page.save_revision(user=self.admin).publish(user=self.admin)

    def ensure_admin(self):
        User = get_user_model()
        existing = User.objects.filter(username="admin").first()
        if existing is not None:
            return existing
        password = settings.DEMO_ADMIN_PASSWORD or secrets.token_urlsafe(12)
        admin = User.objects.create_superuser("admin", "admin@example.org", password)
        if settings.DEMO_ADMIN_PASSWORD:
            self.log("Compte d'administration « admin » créé (mot de passe : DEMO_ADMIN_PASSWORD).")
        else:
            self.log(
                f"Compte d'administration « admin » créé. Mot de passe, affiché une seule fois : "
                f"{password}"
            )
        return admin
