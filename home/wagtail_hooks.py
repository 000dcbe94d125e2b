"""Registers home's admin screens that Wagtail's own do not give; no logic here."""

from wagtail import hooks

from . import backoffice


@hooks.register("register_admin_urls")
def register_retention_settings_urls():
    return backoffice.urls


@hooks.register("register_settings_menu_item")
def register_retention_settings_menu_item():
    return backoffice.menu_item()
