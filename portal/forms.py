"""Form rendering shared by the portal's forms: a field is shown again with at most what it
accepts, so that a page refusing a megabyte never sends the megabyte back."""

from django import forms
from django.forms.renderers import TemplatesSetting
from dsfr.forms import DsfrBoundField


class BoundedEchoMixin:
    def value(self):
        value = super().value()
        limit = getattr(self.field, "max_length", None)
        if self.form.is_bound and limit and isinstance(value, str):
            return value[:limit]
        return value


class BoundedBoundField(BoundedEchoMixin, forms.BoundField):
    pass


class BoundedDsfrBoundField(BoundedEchoMixin, DsfrBoundField):
    """For django-dsfr's forms, whose own bound field takes precedence over the renderer's."""


class Renderer(TemplatesSetting):
    """The project's form renderer (FORM_RENDERER): every form without a bound field of its
    own, the admin's included, echoes bounded values."""

    bound_field_class = BoundedBoundField
