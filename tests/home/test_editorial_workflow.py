"""Editors write and submit; only moderators publish, through the "Relecture" workflow."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Workflow, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from home.models import Partner, Theme
from tests import factories


@pytest.fixture
def page(home):
    return factories.content_page(home, title="L'offre", slug="la-cellule", introduction="v1")


def edit(client, page, **action):
    data = nested_form_data(
        {"title": page.title, "slug": page.slug, "introduction": "v2", "body": streamfield([])}
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {**data, **action})


def test_relecture_workflow_covers_the_whole_site(home):
    workflow = Workflow.objects.get(name="Relecture")
    assert workflow.active
    assert Page.get_first_root_node().get_workflow() == workflow
    assert home.get_workflow() == workflow
    task = workflow.tasks.get().specific
    assert [group.name for group in task.groups.all()] == ["Modérateurs"]


def test_editor_can_edit_but_not_publish(client, page, editor):
    permissions = page.permissions_for_user(editor)
    assert permissions.can_edit()
    assert permissions.can_add_subpage()
    assert not permissions.can_publish()
    assert not permissions.can_delete()

    client.force_login(editor)
    edit(client, page, **{"action-publish": "action-publish"})
    page.refresh_from_db()
    assert page.specific.introduction == "v1"
    assert page.has_unpublished_changes


def test_editor_submits_and_moderator_publishes(client, page, editor, moderator):
    client.force_login(editor)
    response = edit(client, page, **{"action-submit": "action-submit"})
    assert response.status_code == 302
    state = WorkflowState.objects.get(
        object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    assert state.workflow.name == "Relecture"
    page.refresh_from_db()
    assert page.specific.introduction == "v1"

    client.force_login(moderator)
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": "Relu."})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.specific.introduction == "v2"
    assert not page.has_unpublished_changes
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_editor_cannot_approve_a_submission(client, page, editor):
    client.force_login(editor)
    edit(client, page, **{"action-submit": "action-submit"})
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.specific.introduction == "v1"


def test_moderator_publishes_directly(client, page, moderator):
    client.force_login(moderator)
    edit(client, page, **{"action-publish": "action-publish"})
    page.refresh_from_db()
    assert page.specific.introduction == "v2"


def test_editors_manage_themes_but_not_settings(client, editor, moderator):
    client.force_login(editor)
    assert client.get(reverse("wagtailsnippets_home_theme:add")).status_code == 200
    assert client.get(reverse("wagtailsnippets_home_partner:add")).status_code == 200
    settings_url = reverse("wagtailsettings:edit", args=["home", "portalsettings"])
    response = client.get(settings_url, follow=True)
    assert "portalsettings" not in response.redirect_chain[-1][0]
    client.force_login(moderator)
    response = client.get(settings_url, follow=True)
    assert response.status_code == 200
    assert "portalsettings" in response.redirect_chain[-1][0]
    assert "permanence_contacts" in response.content.decode()


def test_editor_creates_a_partner_with_themes(client, editor):
    climat = factories.theme("Climat")
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_home_partner:add"),
        {
            "name": "Institut de la concertation",
            "kind": "expert",
            "themes": [climat.pk],
            "territory": "National",
            "website": "https://example.org",
            "contact_name": "",
            "contact_email": "contact@example.org",
            "contact_phone": "",
            "description": "Réseau de praticiens.",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.get_kind_display() == "Expert ou experte"
    assert list(partner.themes.all()) == [climat]


def test_theme_slug_is_generated_from_its_name(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_home_theme:add"),
        {"name": "Gestion des risques", "slug": "", "description": ""},
    )
    assert response.status_code == 302
    assert Theme.objects.get().slug == "gestion-des-risques"
