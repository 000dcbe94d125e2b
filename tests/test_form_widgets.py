"""The project's overrides of django-dsfr's choice widgets: DSFR markup, valid attributes,
errors linked to every box, on the request form too."""

import re

from django import forms
from dsfr.forms import DsfrBaseForm


class ChoicesForm(DsfrBaseForm):
    role = forms.ChoiceField(
        label="Vous êtes",
        choices=[("elected", "Élu·e"), ("staff", "Agent·e")],
        widget=forms.RadioSelect,
    )
    needs = forms.MultipleChoiceField(
        label="Sujets",
        choices=[("strategy", "Stratégie"), ("funding", "Financements")],
        widget=forms.CheckboxSelectMultiple,
    )


def ids(html):
    return set(re.findall(r' id="([^"]+)"', html))


def test_choice_inputs_keep_dsfr_wrappers_without_the_dsfr_marker():
    html = str(ChoicesForm())
    assert "dsfr=" not in html
    assert html.count('<div class="fr-radio-group">') == 2
    assert html.count('<div class="fr-checkbox-group">') == 2
    assert '<input type="radio" name="role" value="elected" id="id_role_0" required>' in html
    assert '<input type="checkbox" name="needs" value="funding" id="id_needs_1">' in html
    assert '<label class="fr-label" for="id_needs_1">' in html


def test_groups_in_error_are_named_by_their_legend_and_their_error():
    html = str(ChoicesForm(data={}))
    assert "dsfr=" not in html
    assert 'aria-labelledby="id_role-legend id_role-desc-error"' in html
    assert 'aria-labelledby="id_needs-legend id_needs-desc-error"' in html
    assert {
        "id_role-legend",
        "id_role-desc-error",
        "id_needs-legend",
        "id_needs-desc-error",
    } <= ids(html)
    assert (
        '<input type="checkbox" name="needs" value="funding" aria-invalid="true" '
        'aria-describedby="id_needs-desc-error" id="id_needs_1">'
    ) in html


def test_request_form_boxes_in_error_are_described_by_their_error(client, home):
    html = client.post("/demande/", {}).content.decode()
    for name, count in [("role", 2), ("needs", 5), ("rhythm", 2)]:
        described = f'aria-describedby="id_{name}-desc-error"'
        assert len(re.findall(f'<input [^>]*name="{name}"[^>]*{described}', html)) == count
    # The error summary still links each group to its first box.
    assert '<a href="#id_needs_0">' in html
    assert '<a href="#id_role_0">' in html
