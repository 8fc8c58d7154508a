from cases.roles import user_roles


def roles(request):
    """Role names for the navigation; cached on the user, so one query per request at most."""
    user = getattr(request, "user", None)
    return {"user_roles": user_roles(user) if user is not None else frozenset()}
