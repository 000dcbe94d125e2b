"""Who may do what with requests in the admin: the team reads them and instructs them; nobody
adds or deletes one there (applicants create them, the lifecycle changes them)."""

from wagtail.admin.menu import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from ..models import READ_PERMISSION, TRIAGE_PERMISSION, IntakeRequest


class RequestPermissionPolicy(ModelPermissionPolicy):
    PERMISSIONS = {"view": READ_PERMISSION, "change": TRIAGE_PERMISSION}

    def __init__(self):
        super().__init__(IntakeRequest)

    def user_has_permission(self, user, action):
        permission = self.PERMISSIONS.get(action)
        return bool(permission) and user.is_active and user.has_perm(permission)


request_permission_policy = RequestPermissionPolicy()


class TeamMenuItem(MenuItem):
    """Shown to whoever may read the requests only."""

    def is_shown(self, request):
        return request_permission_policy.user_has_permission(request.user, "view")
