"""Emails about accounts, written from templates under ``accounts/email/``."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_account_email(*, to: str, template: str, context: dict) -> None:
    """Send ``accounts/email/<template>_subject.txt`` and ``_body.txt`` to ``to``.

    Links are built on ``settings.SITE_URL`` (the public address), given to the
    templates as ``site_url``.
    """
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])
