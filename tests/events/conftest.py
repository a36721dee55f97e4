"""Fixtures shared by the event tests: a real SMTP server on localhost (tests/events/mail_helpers.py)."""

from tests.events.mail_helpers import smtp, smtp_down  # noqa: F401 (pytest fixtures)
