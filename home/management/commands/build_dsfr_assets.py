"""Write the DSFR stylesheet and script of the public site from django-dsfr's files."""

from django.core.management.base import BaseCommand

from home import dsfr_assets


class Command(BaseCommand):
    help = (
        "Écrit dans static/ la feuille de style et le script du DSFR du site public, avec les "
        "seuls composants et icônes que ses gabarits utilisent (après une mise à jour de "
        "django-dsfr, ou quand un gabarit utilise un nouveau composant ou une nouvelle icône)."
    )

    def handle(self, *args, **options):
        root = dsfr_assets.static_root()
        for path, content in dsfr_assets.build().items():
            target = root / path
            target.write_text(content)
            self.stdout.write(f"{target.relative_to(root.parent)} : {len(content.encode())} octets")
