from cases.notifications import unread_for
from cases.roles import user_roles


def roles(request):
    """Role names for the navigation; cached on the user, so one query per request at most."""
    user = getattr(request, "user", None)
    return {"user_roles": user_roles(user) if user is not None else frozenset()}


def nav_links(request):
    """The satellites' registered navigation links the user may open (permissions are cached per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cases.registry import nav_links_for

    return {"nav_links": nav_links_for(user)}


def unread_notifications(request):
    """The unread count in the navigation bar (one COUNT query per page for signed-in users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_for(user).count}
