"""`renkei send-event-reminders [--dry-run]`: send the registrants' mails that are still pending
(the mail server was down when they registered, cancelled or moved up) and the reminders due
EVENT_REMINDER_DAYS_BEFORE days before each event (see events/mails.py). Run it from cron every
15 minutes to once an hour; it never sends the same mail twice to a registration."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from renkei.events.mails import do_send_event_mails


class Command(BaseCommand):
    help = "Send pending registration mails and the reminders due before events (idempotent; run from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent; send nothing")

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        try:
            run = do_send_event_mails(now, dry_run=options["dry_run"])
        except OSError as error:  # the mail server could not be reached at all
            raise CommandError(f"Could not reach the mail server: {error}") from error
        if options["dry_run"]:
            for mail in run.due:
                self.stdout.write(f"would send: {mail.kind} to registration {mail.registration.pk}")
            self.stdout.write(f"{len(run.due)} mail(s) would be sent.")
            return
        self.stdout.write(f"sent: {len(run.sent)}, no longer needed: {len(run.dropped)}, failed: {len(run.failed)}")
        for pk, error in run.failed:
            self.stderr.write(f"failed: mail {pk}: {error}")
        if run.failed:
            raise CommandError(f"{len(run.failed)} mail(s) could not be sent; they stay pending for the next run.")
