"""Roles: what a user's ``role`` (and being a superuser) lets them do."""


def has_role(user, roles) -> bool:
    """Whether ``user`` is signed in and a superuser or holds one of ``roles``."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or getattr(user, "role", "") in roles
