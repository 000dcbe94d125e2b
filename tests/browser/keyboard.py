"""Keyboard steps shared by the browser tests: where the focus is, and Tab until it is there."""

import pytest
from playwright.sync_api import expect


def has_focus(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, limit=40):
    """Press Tab until `locator` has the focus; fail if it never gets it."""
    expect(locator).to_be_attached()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if has_focus(locator):
            return
    pytest.fail(f"{locator} was not reached after {limit} presses on Tab")
