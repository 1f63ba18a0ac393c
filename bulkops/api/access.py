"""Who may call the API: logged-in, active staff, by token or session. Each operation then checks the
same per-object permissions as the dashboard (bulkops.permissions)."""

from django.utils.translation import gettext_lazy
from rest_framework import permissions


class IsActiveStaff(permissions.BasePermission):
    message = gettext_lazy("The API is for staff members of the Contact Center admin.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)
