"""Response headers the portal adds to every answer: pages, the admin, errors, static files."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Refuses the browser features the portal never uses (PERMISSIONS_POLICY_DISABLED) to
    every origin, its own and any frame's. First in MIDDLEWARE, so that WhiteNoise's static
    files and the security middleware's redirects carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
