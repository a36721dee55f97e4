"""The `renkei` command: one entry point for serving, the demo and every management command.

`renkei --help` lists all commands; `renkei help COMMAND` explains one. Settings come from the
RENKEI_* environment variables (docs/operations.md)."""

from __future__ import annotations

import os
import sys

INTRO = """renkei — run industry–academia–government collaboration clusters.

Common commands:
  renkei demo              create the database, load the demo data and serve it on :8000
                           (--no-serve to stop after loading, --reset to load it afresh)
  renkei serve             serve the site with waitress (--host, --port; --dev for
                           Django's auto-reloading development server)
  renkei migrate           create or update the database tables
  renkei load_reference    load prefectures, regions, JSIC industries and technology fields
  renkei load_demo         load the fictitious demo clusters, members and logins (--scale)
  renkei createsuperuser   create an administrator account
  renkei worker            run a background-job worker (needs RENKEI_BROKER_URL)
  renkei check             check the configuration and the code for problems

Matching, networks and events:
  renkei reindex           rebuild the seeds/needs/capabilities matching index
  renkei match "TEXT"      print the best matches for a text, with the reasons
  renkei match-batch       rank JSONL documents for JSONL queries into a TREC run file
  renkei network metrics   network metrics of the platform or of an edge list (--json)
  renkei schedule-meetings place business-matching meeting requests into slots and tables

Imports and mail:
  renkei import corporate-numbers FILE
                           load the National Tax Agency's corporate-number file (全件/差分)
  renkei import researchmap|kaken|patents FILE
                           load researchers (JSON), grant projects (XML) or a patent list (CSV);
                           uncertain links wait in the review queue (/imports/review/)
  renkei import gbizinfo FILE [--create-missing]
                           update organisations from gBizINFO 基本情報 by corporate number
  renkei import estat FILE establishments and employees by municipality × JSIC (e-Stat CSV)
  renkei send-followup-digests
                           mail coordinators and HQ their overdue CRM follow-ups (daily)
  renkei send-event-reminders
                           send pending registration mails and event reminders (cron, 15 min)
  renkei send-followup-surveys
                           mail the follow-up survey of business meetings when due (daily)

Settings come from environment variables: RENKEI_DATABASE_URL, RENKEI_DATA_DIR, RENKEI_DEBUG,
RENKEI_SECRET_KEY, RENKEI_ALLOWED_HOSTS, … (see docs/operations.md).

All commands:"""


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import execute_from_command_line

    if args and not args[0].startswith("-"):
        # Django command names cannot contain hyphens; people type `renkei match-batch`.
        args[0] = args[0].replace("-", "_")
    if args[:1] == ["serve"] and "--dev" in args:
        # Settings are read once, before the command runs: the development server needs
        # DEBUG (plain-HTTP cookies, tracebacks) unless the operator said otherwise.
        os.environ.setdefault("RENKEI_DEBUG", "1")
    if not args or args[0] in {"-h", "--help"}:
        print(INTRO)
        args = ["help"]
    execute_from_command_line(["renkei", *args])


if __name__ == "__main__":
    main()
