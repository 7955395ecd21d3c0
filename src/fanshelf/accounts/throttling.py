"""Throttles on the ways in: log-in attempts and password-reset requests.

Both count every attempt under ``fanshelf.core.ratelimit`` before anything else
is looked at, so a throttled attempt costs no password hash and says nothing about
whether the account exists. Refusals are logged to ``fanshelf.security``.
"""

import logging

from fanshelf.core.ratelimit import allow, client_ip
from fanshelf.moderation.security import record_security_event

security_log = logging.getLogger("fanshelf.security")


def login_allowed(request, username: str) -> bool:
    """Count a log-in attempt for this account name and this address; False when over."""
    address = client_ip(request) if request is not None else ""
    account_ok = allow("login", f"account:{username.strip().casefold()}")
    address_ok = allow("login_address", f"address:{address}")
    if not (account_ok and address_ok):
        security_log.warning(
            "Log-in throttled: account=%r address=%s (over the %s limit)",
            username,
            address,
            "account" if not account_ok else "address",
        )
        record_security_event(kind="login_throttled", username=username, address=address)
        return False
    return True


def password_reset_allowed(request, email: str) -> bool:
    """Count a password-reset request for this email and this address; False when over."""
    address = client_ip(request) if request is not None else ""
    if allow("password_reset", f"email:{email.strip().casefold()}", f"address:{address}"):
        return True
    security_log.warning("Password reset throttled: email=%r address=%s", email, address)
    record_security_event(kind="reset_throttled", username=email, address=address)
    return False
