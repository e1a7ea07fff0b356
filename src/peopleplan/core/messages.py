"""Sending email: once the transaction that caused it has committed, and at most once for a key
(so a scheduled command that runs twice sends nothing twice)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from peopleplan.core.models import SentMessage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mimetype: str


def message_send(
    *,
    to: str,
    subject: str,
    body: str,
    key: str = "",
    attachments: tuple[Attachment, ...] = (),
) -> None:
    """Send a plain-text email after the current transaction commits. With a `key`, a message
    already sent for that key is not sent again."""
    if not to:
        return

    def send() -> None:
        if key:
            try:
                with transaction.atomic():
                    SentMessage.objects.create(key=key[:200], to=to, subject=subject[:300])
            except IntegrityError:
                return  # sent already
        message = EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
        )
        for attachment in attachments:
            message.attach(attachment.name, attachment.content, attachment.mimetype)
        try:
            message.send()
        except OSError:
            logger.exception("Could not send %r to %s", subject, to)

    transaction.on_commit(send)
