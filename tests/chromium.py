"""Debian's Chromium for Playwright, shared by the browser tests and the production check.

In CI (CI=true) a browser that cannot start fails the run instead of skipping it.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).parent / "browser/screenshots"))


def unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot be skipped in CI: {reason}")
    pytest.skip(reason)


def check_available():
    """Skip (or fail in CI) when Playwright or Chromium is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("playwright is not installed")
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def violations_report(results):
    """axe-core's violations, one line each: rule, help, the elements concerned."""
    return "\n".join(
        f"{violation['id']}: {violation['help']} — "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
    )


def take_screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


# Runs in every document before its own scripts: the browser's report of each resource, inline
# script or style that the Content-Security-Policy refused, handed to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || event.documentURI}:${event.lineNumber} ` +
    `(${event.sample || "no sample"})`
  );
});
"""


def watch_csp(context, violations):
    """Appends every CSP violation of the context's pages to ``violations``, as they happen."""

    def report(violation):
        violations.append(violation)

    context.expose_function("reportCspViolation", report)
    context.add_init_script(CSP_LISTENER)
