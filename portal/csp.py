"""The Content-Security-Policy of every answer: the public site's, or the Wagtail admin's.

The policies are dicts of directives in the settings (CONTENT_SECURITY_POLICY and
CONTENT_SECURITY_POLICY_ADMIN), written out in their order. A source equal to NONCE_SOURCE
stands for the request's nonce: a template that needs one writes
``nonce="{{ request.csp_nonce }}"``, and only then does the header name it. A page without
inline scripts (every public page) therefore has the same header on every request, on every
server, and a cached copy of it stays valid.
"""

import secrets

from django.conf import settings
from django.urls import reverse

HEADER = "Content-Security-Policy"
NONCE_SOURCE = "'nonce-{nonce}'"


class Nonce:
    """The request's nonce, drawn the first time a template prints it."""

    def __init__(self):
        self.value = None

    def __str__(self):
        if self.value is None:
            self.value = secrets.token_urlsafe(18)
        return self.value


def serialize(directives, nonce=None):
    """The header's value: directives in their order, the nonce source kept only when drawn."""
    parts = []
    for name, sources in directives.items():
        if nonce is None:
            sources = [source for source in sources if source != NONCE_SOURCE]
        else:
            sources = [
                source.format(nonce=nonce) if source == NONCE_SOURCE else source
                for source in sources
            ]
        parts.append(" ".join([name, *sources]))
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    """Second in MIDDLEWARE, right after the Permissions-Policy: static files, redirects and
    error pages carry the header too. Enforced, never report-only."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("wagtailadmin_home")
        # (directives, the header without a nonce: the same string for every answer)
        self.public = (policy := settings.CONTENT_SECURITY_POLICY, serialize(policy))
        self.admin = (policy := settings.CONTENT_SECURITY_POLICY_ADMIN, serialize(policy))

    def __call__(self, request):
        request.csp_nonce = Nonce()
        response = self.get_response(request)
        # Wagtail's previews run the page through the middleware with a dummy request, inside
        # the admin's own request: that outer request sets the policy (the admin's, which lets
        # the preview panel frame the page).
        if getattr(request, "is_dummy", False):
            return response
        admin = request.path_info.startswith(self.admin_prefix)
        directives, header = self.admin if admin else self.public
        if request.csp_nonce.value is not None:
            header = serialize(directives, request.csp_nonce.value)
        response.headers.setdefault(HEADER, header)
        return response
