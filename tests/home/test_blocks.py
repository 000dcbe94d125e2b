"""Each body block renders its DSFR component and refuses what an editor must not publish."""

import pytest
from bs4 import BeautifulSoup
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from home.blocks import (
    AccordionGroupBlock,
    BodyBlock,
    ButtonsBlock,
    CalloutBlock,
    CardBlock,
    CardGridBlock,
    ContactCardsBlock,
    HeadingBlock,
    HighlightBlock,
    ImageBlock,
    LinkBlock,
    ParagraphBlock,
    QuoteBlock,
    StepsBlock,
    TileBlock,
    TilesBlock,
)
from home.models import CARD_RENDITION
from tests import factories


def render(block, raw, **context):
    return BeautifulSoup(block.render(block.to_python(raw), context=context), "html.parser")


def link(label="Faire une demande", url="/demande/", page=None):
    return {"label": label, "url": url, "page": page}


def target(url="/la-cellule/", page=None):
    """The link of a card or a tile: no label, the title is the link text."""
    return {"url": url, "page": page}


SCRIPT = "<script>alert(1)</script>"


def assert_escaped(html):
    """Editor text shows as text: no element made of it, the characters escaped."""
    assert html.find("script") is None
    assert SCRIPT in html.get_text()
    assert "&lt;script&gt;" in str(html)


@pytest.fixture
def unpublished_page(home):
    page = factories.content_page(home, title="Ancienne page", slug="ancienne-page")
    page.unpublish()
    return page


@pytest.fixture
def image(db):
    return Image.objects.create(title="Atelier", file=get_test_image_file())


def test_heading_uses_the_chosen_level_and_anchor():
    html = render(
        HeadingBlock(), {"text": "Gestion des cookies", "level": "h3", "anchor": "cookies"}
    )
    heading = html.find("h3")
    assert heading.text == "Gestion des cookies"
    assert heading["id"] == "cookies"


def test_heading_rejects_an_anchor_that_is_not_a_slug():
    block = HeadingBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"text": "Titre", "level": "h2", "anchor": "Mon ancre !"}))
    assert "anchor" in error.value.block_errors


def test_paragraph_keeps_rich_text_and_escapes_nothing_it_should_not():
    html = render(ParagraphBlock(), "<p>Un <b>texte</b> riche.</p>")
    assert html.find("b").text == "texte"


def test_callout_markup_with_heading_level_and_button():
    html = render(
        CalloutBlock(),
        {"title": "Le format", "level": "h2", "text": "En visioconférence.", "link": link()},
    )
    callout = html.find(class_="fr-callout")
    assert callout.find("h2", class_="fr-callout__title").text == "Le format"
    assert callout.find("p", class_="fr-callout__text").text == "En visioconférence."
    assert callout.find("a", class_="fr-btn")["href"] == "/demande/"


def test_callout_without_button_is_valid_and_renders_no_button():
    block = CalloutBlock()
    value = block.clean(
        block.to_python({"title": "", "level": "h3", "text": "Texte", "link": link("", "")})
    )
    html = BeautifulSoup(block.render(value), "html.parser")
    assert html.find("a") is None
    assert html.find(class_="fr-callout__title") is None


def test_highlight_markup_and_size():
    html = render(HighlightBlock(), {"text": "À retenir", "size": "lg"})
    assert html.select_one(".fr-highlight p.fr-text--lg").text == "À retenir"


def test_quote_markup():
    html = render(QuoteBlock(), {"text": "Merci", "author": "Une élue", "role": "Maire"})
    figure = html.find("figure", class_="fr-quote")
    assert "« Merci »" in figure.blockquote.text
    assert figure.find(class_="fr-quote__author").text == "Une élue"
    assert figure.select_one(".fr-quote__source li").text == "Maire"


def test_accordion_buttons_control_their_own_panels():
    html = render(
        AccordionGroupBlock(),
        {
            "level": "h3",
            "items": [
                {"title": "Première question", "body": "<p>Réponse 1</p>"},
                {"title": "Deuxième question", "body": "<p>Réponse 2</p>"},
            ],
        },
        block_id="abc",
    )
    buttons = html.select(".fr-accordions-group h3.fr-accordion__title button.fr-accordion__btn")
    assert [button.text for button in buttons] == ["Première question", "Deuxième question"]
    for button in buttons:
        panel = html.find(id=button["aria-controls"])
        assert "fr-collapse" in panel["class"]
        assert button["aria-expanded"] == "false"
    assert len({button["aria-controls"] for button in buttons}) == 2


def test_steps_are_an_ordered_list_with_headings():
    html = render(
        StepsBlock(),
        {
            "level": "h4",
            "steps": [{"title": "Écrire", "text": ""}, {"title": "Échanger", "text": "En visio"}],
        },
    )
    items = html.select("ol > li")
    assert len(items) == 2
    assert "Étape 2" in items[1].find("h4").text
    assert items[1].find("p").text == "En visio"


def test_card_grid_markup(image):
    html = render(
        CardGridBlock(),
        {
            "level": "h2",
            "cards": [
                {
                    "title": "L'offre",
                    "description": "Cinq axes",
                    "link": target("/la-cellule/"),
                    "image": image.pk,
                },
            ],
        },
    )
    card = html.find(class_="fr-card")
    assert "fr-enlarge-link" in card["class"]
    assert card.select_one("h2.fr-card__title a")["href"] == "/la-cellule/"
    assert card.find(class_="fr-card__desc").text == "Cinq axes"
    img = card.select_one(".fr-card__img img")
    assert img["alt"] == ""
    assert f".{CARD_RENDITION}." in img["src"]  # the rendition that listings prefetch


def test_tiles_markup():
    html = render(
        TilesBlock(),
        {
            "level": "h3",
            "tiles": [{"title": "Témoignages", "description": "", "link": target("/temoignages/")}],
        },
    )
    tile = html.find(class_="fr-tile")
    assert tile.select_one("h3.fr-tile__title a")["href"] == "/temoignages/"
    assert tile.find(class_="fr-tile__desc") is None


def test_image_with_alternative_text(image):
    html = render(
        ImageBlock(),
        {
            "image": image.pk,
            "decorative": False,
            "alt_text": "Un atelier",
            "caption": "Atelier à Pamiers",
        },
    )
    figure = html.find("figure", class_="fr-content-media")
    assert figure.find("img", class_="fr-responsive-img")["alt"] == "Un atelier"
    assert figure.find("figcaption", class_="fr-content-media__caption").text == "Atelier à Pamiers"


def test_decorative_image_has_empty_alt(image):
    html = render(
        ImageBlock(), {"image": image.pk, "decorative": True, "alt_text": "ignoré", "caption": ""}
    )
    assert html.find("img")["alt"] == ""


def test_image_needs_alt_text_unless_decorative(image):
    block = ImageBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(
            block.to_python(
                {"image": image.pk, "decorative": False, "alt_text": " ", "caption": ""}
            )
        )
    assert "alt_text" in error.value.block_errors
    block.clean(
        block.to_python({"image": image.pk, "decorative": True, "alt_text": "", "caption": ""})
    )


def test_buttons_group_first_primary_then_secondary():
    html = render(
        ButtonsBlock(),
        {
            "buttons": [
                link(),
                link("En savoir plus", "https://agence-cohesion-territoires.gouv.fr"),
            ]
        },
    )
    first, second = html.select("ul.fr-btns-group a.fr-btn")
    assert "fr-btn--secondary" not in first["class"]
    assert "fr-btn--secondary" in second["class"]
    assert second["target"] == "_blank"
    assert "nouvelle fenêtre" in second["title"]


def test_contact_cards_markup():
    html = render(
        ContactCardsBlock(),
        {
            "level": "h3",
            "contacts": [
                {
                    "name": "Morgane Luraski",
                    "role": "",
                    "email": "m@anct.gouv.fr",
                    "phone": "06 16 62 09 13",
                }
            ],
        },
    )
    card = html.find(class_="fr-card")
    assert card.find("h3", class_="fr-card__title").text == "Morgane Luraski"
    assert card.find("a", href="tel:+33616620913").text == "06 16 62 09 13"
    assert card.find("a", href="mailto:m@anct.gouv.fr")


@pytest.mark.parametrize(
    "value, fields",
    [
        (link("Libellé", "", None), {"page", "url"}),
        (link("", "/demande/"), {"label"}),
        (link("Libellé", "javascript:alert(1)"), {"url"}),
        (link("Libellé", "//evil.example"), {"url"}),
        (link("Libellé", "/\\evil.example"), {"url"}),
        (link("Libellé", "/\t/evil.example"), {"url"}),
    ],
)
def test_link_needs_a_label_and_exactly_one_target(value, fields, home):
    block = LinkBlock()
    with pytest.raises((StructBlockValidationError,)) as error:
        block.clean(block.to_python(value))
    assert fields <= set(error.value.block_errors)


def test_link_to_both_a_page_and_an_address_is_refused(home):
    block = LinkBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python(link("Accueil", "/", home.pk)))


def test_link_to_a_page_uses_its_url(home):
    block = LinkBlock()
    assert block.to_python(link("Accueil", "", home.pk)).href == home.url


def test_body_offers_every_block_and_no_raw_html():
    assert set(BodyBlock.base_blocks) == {
        "heading",
        "paragraph",
        "callout",
        "highlight",
        "quote",
        "accordions",
        "steps",
        "cards",
        "tiles",
        "image",
        "buttons",
        "contacts",
        "retention_periods",
    }


def test_link_to_an_unpublished_or_deleted_page_has_no_address(home, unpublished_page):
    block = LinkBlock()
    assert block.to_python(link("Ancienne", "", unpublished_page.pk)).href == ""
    deleted_page_id = Page.objects.order_by("-pk").first().pk + 1
    assert block.to_python(link("Ancienne", "", deleted_page_id)).href == ""


def test_cards_and_tiles_ask_for_no_link_label(home):
    for block in (CardBlock(), TileBlock()):
        link_block = block.child_blocks["link"]
        assert list(link_block.child_blocks) == ["page", "url"]
        assert link_block.clean(link_block.to_python(target())).href == "/la-cellule/"
        with pytest.raises(StructBlockValidationError) as error:
            link_block.clean(link_block.to_python(target("")))
        assert set(error.value.block_errors) == {"page", "url"}
    assert list(LinkBlock().child_blocks) == ["label", "page", "url"]


def test_card_whose_page_is_unpublished_renders_without_a_link(unpublished_page):
    html = render(
        CardGridBlock(),
        {
            "level": "h3",
            "cards": [
                {"title": "Ancienne", "description": "", "link": target("", unpublished_page.pk)},
                {"title": "L'offre", "description": "", "link": target("/la-cellule/")},
            ],
        },
    )
    orphan, linked = html.select(".fr-card")
    assert orphan.find("a") is None
    assert "fr-enlarge-link" not in orphan["class"]
    assert orphan.find("h3").text == "Ancienne"
    assert linked.select_one("h3 a")["href"] == "/la-cellule/"
    assert "None" not in str(html)


def test_tile_whose_page_is_unpublished_renders_without_a_link(unpublished_page):
    html = render(
        TilesBlock(),
        {
            "level": "h3",
            "tiles": [
                {"title": "Ancienne", "description": "", "link": target("", unpublished_page.pk)}
            ],
        },
    )
    tile = html.find(class_="fr-tile")
    assert tile.find("a") is None
    assert "fr-enlarge-link" not in tile["class"]
    assert "None" not in str(html)


def test_buttons_to_unpublished_pages_are_left_out(unpublished_page):
    html = render(
        ButtonsBlock(),
        {"buttons": [link("Ancienne", "", unpublished_page.pk), link("Faire une demande")]},
    )
    (button,) = html.select("a.fr-btn")
    assert button["href"] == "/demande/"
    assert "fr-btn--secondary" not in button["class"]
    html = render(ButtonsBlock(), {"buttons": [link("Ancienne", "", unpublished_page.pk)]})
    assert html.find("ul") is None and html.find("a") is None


def test_callout_text_and_title_are_escaped():
    html = render(
        CalloutBlock(),
        {"title": SCRIPT, "level": "h3", "text": SCRIPT, "link": link(SCRIPT, "/demande/")},
    )
    assert_escaped(html)
    assert html.find("h3").text == SCRIPT
    assert html.find(class_="fr-callout__text").text == SCRIPT
    assert html.find("a").text == SCRIPT


def test_quote_text_author_and_role_are_escaped():
    html = render(QuoteBlock(), {"text": SCRIPT, "author": SCRIPT, "role": SCRIPT})
    assert_escaped(html)
    assert html.find(class_="fr-quote__author").text == SCRIPT
    assert html.select_one(".fr-quote__source li").text == SCRIPT


def test_highlight_text_is_escaped_and_keeps_its_line_breaks():
    html = render(HighlightBlock(), {"text": f"{SCRIPT}\nDeuxième ligne", "size": ""})
    assert_escaped(html)
    assert html.select_one(".fr-highlight p br") is not None


def test_steps_are_escaped():
    html = render(StepsBlock(), {"level": "h3", "steps": [{"title": SCRIPT, "text": SCRIPT}]})
    assert_escaped(html)
    assert SCRIPT in html.find("h3").text
    assert html.find("p").text == SCRIPT


def test_card_title_and_description_are_escaped():
    html = render(
        CardGridBlock(),
        {
            "level": "h3",
            "cards": [{"title": SCRIPT, "description": SCRIPT, "link": target(), "image": None}],
        },
    )
    assert_escaped(html)
    assert html.select_one(".fr-card__title a").text == SCRIPT
    assert html.find(class_="fr-card__desc").text == SCRIPT


def test_tile_title_and_description_are_escaped():
    html = render(
        TilesBlock(),
        {"level": "h3", "tiles": [{"title": SCRIPT, "description": SCRIPT, "link": target()}]},
    )
    assert_escaped(html)
    assert html.find(class_="fr-tile__desc").text == SCRIPT
