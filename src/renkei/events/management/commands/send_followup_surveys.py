"""`renkei send-followup-surveys [--dry-run]`: mail the follow-up survey link to both sides of
every held meeting of the events whose survey is due (the event's "follow-up survey after"
months past its end; see events/survey.py). Run it daily from cron; nobody is asked twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from renkei.events.survey import do_send_followup_surveys


class Command(BaseCommand):
    help = "Mail the follow-up survey to the participants of held meetings when it is due (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list who would be asked; send and record nothing")

    def handle(self, *args, **options) -> None:
        try:
            run = do_send_followup_surveys(timezone.now(), dry_run=options["dry_run"])
        except OSError as error:
            raise CommandError(f"Could not reach the mail server: {error}") from error
        verb = "would ask" if options["dry_run"] else "asked"
        for label in run.due if options["dry_run"] else run.sent:
            self.stdout.write(f"{verb}: {label}")
        for label in run.without_address:
            self.stdout.write(f"no e-mail address: {label}")
        for label, error in run.failed:
            self.stderr.write(f"failed: {label}: {error}")
        count = len(run.due if options["dry_run"] else run.sent)
        self.stdout.write(f"{count} survey mail(s) {'would be ' if options['dry_run'] else ''}sent.")
        if run.failed:
            raise CommandError(f"{len(run.failed)} survey mail(s) could not be sent; run again to retry.")
