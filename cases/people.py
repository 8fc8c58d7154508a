"""How staff are named on screen."""


def staff_name(user) -> str:
    """Chinese order, no space (陳社工), as colleagues write it; the username when no name is set."""
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.username
