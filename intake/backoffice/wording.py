"""The admin's generic screens in correct French: Wagtail builds their titles and messages from
the model's name ("Ajouter un(e) étiquette", "Il n'y a pas de étiquettes", "Modification:
…"), which French grammar does not allow. A viewset declares its own words once; its listing,
creation and edition screens use them (the forms then get Wagtail's level-one heading, which
it leaves out when a screen has a subtitle)."""

from dataclasses import dataclass

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Wording:
    add: str  # "Ajouter une étiquette": the listing's button
    new: str  # "Nouvelle étiquette": the creation screen's title
    edit: str  # "Modifier l'étiquette « %(object)s »"
    empty: str  # the listing without any
    no_match: str  # the listing when a search or a filter finds none


class WordedIndex:
    wording: Wording

    @cached_property
    def add_item_label(self):
        return self.wording.add

    @cached_property
    def no_results_message(self):
        searching = self.is_searching or self.is_filtering
        return self.wording.no_match if searching else self.wording.empty


class WordedCreate:
    wording: Wording

    def get_page_title(self):
        return self.wording.new

    def get_page_subtitle(self):
        # Without a subtitle, Wagtail heads the screen with its title as a level-one heading.
        return None


class WordedEdit(WordedCreate):
    def get_page_title(self):
        return self.wording.edit % {"object": self.object}


class WordedViewSetMixin:
    """Put before Wagtail's SnippetViewSet or ModelViewSet; set ``wording``."""

    wording: Wording
    index_results_template_name = "intake/backoffice/wording/index_results.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = self._worded(WordedIndex, self.index_view_class)
        self.add_view_class = self._worded(WordedCreate, self.add_view_class)
        self.edit_view_class = self._worded(WordedEdit, self.edit_view_class)

    def _worded(self, mixin, view_class):
        return type(view_class.__name__, (mixin, view_class), {"wording": self.wording})


LABEL_WORDING = Wording(
    add=_("Ajouter une étiquette"),
    new=_("Nouvelle étiquette"),
    edit=_("Modifier l'étiquette « %(object)s »"),
    empty=_("Aucune étiquette pour l'instant : elles servent à trier les demandes."),
    no_match=_("Aucune étiquette ne correspond à votre recherche."),
)
REPLY_TEMPLATE_WORDING = Wording(
    add=_("Ajouter un modèle de réponse"),
    new=_("Nouveau modèle de réponse"),
    edit=_("Modifier le modèle « %(object)s »"),
    empty=_("Aucun modèle de réponse : chaque action part alors du texte prévu par défaut."),
    no_match=_("Aucun modèle de réponse ne correspond à votre recherche."),
)
OPENING_RULE_WORDING = Wording(
    add=_("Ajouter une règle d'ouverture"),
    new=_("Nouvelle règle d'ouverture"),
    edit=_("Modifier la règle « %(object)s »"),
    empty=_("Aucune règle d'ouverture : aucun créneau n'est proposé aux collectivités."),
    no_match=_("Aucune règle d'ouverture ne correspond à votre recherche."),
)
CLOSURE_WORDING = Wording(
    add=_("Ajouter une fermeture"),
    new=_("Nouvelle fermeture"),
    edit=_("Modifier la fermeture « %(object)s »"),
    empty=_("Aucune fermeture prévue."),
    no_match=_("Aucune fermeture ne correspond à votre recherche."),
)
