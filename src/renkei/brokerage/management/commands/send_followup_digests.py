"""`renkei send_followup_digests [--date YYYY-MM-DD] [--dry-run]`: the daily follow-up reminder
mail (see brokerage/digests.py). Run it once a day from cron; a second run the same day sends
nothing new."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from renkei.brokerage.digests import do_send_followup_digests
from renkei.brokerage.services import today


def _parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date: {value!r} is not a date in the form YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = "Mail each coordinator and HQ staff member the follow-ups due by the date and not done."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the digest's day, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="list who would get a mail; send nothing")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "RENKEI_BASE_URL", "http://localhost:8000"),
            help="the site's address, for the links in the mail (default: %(default)s)",
        )

    def handle(self, *args, **options) -> None:
        on = _parse_date(options["date"]) if options["date"] else today()
        base_url = options["base_url"]
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url: {base_url!r} must start with http:// or https://.")
        try:
            outcome = do_send_followup_digests(on, base_url=base_url, dry_run=options["dry_run"])
        except OSError as error:  # the mail server could not be reached: nothing was sent or recorded
            raise CommandError(f"Could not reach the mail server: {error}") from error
        verb = "would send" if options["dry_run"] else "sent"
        for username, count in outcome.sent:
            self.stdout.write(f"{verb}: {username} ({count} follow-ups)")
        for username in outcome.already_sent:
            self.stdout.write(f"already sent today: {username}")
        for username in outcome.without_address:
            self.stdout.write(f"no e-mail address: {username}")
        for username, error in outcome.failed:
            self.stderr.write(f"failed: {username}: {error}")
        self.stdout.write(f"{on:%Y-%m-%d}: {len(outcome.sent)} digest(s) {verb}.")
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} digest(s) could not be sent; run again to retry.")
