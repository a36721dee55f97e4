"""`renkei serve`: serve the site with waitress, or Django's auto-reloading server with --dev.

Static files come straight from the installed package through whitenoise (WHITENOISE_USE_FINDERS),
so neither a separate web server nor `collectstatic` is needed. Behind a reverse proxy that
terminates HTTPS, keep --host 127.0.0.1 and pass --trusted-proxy (docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve renkei over HTTP with waitress (production), or with Django's runserver and --dev."

    # The autoreloader of --dev re-runs this command; system checks run once in handle().
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument(
            "--threads", type=int, default=8, help="worker threads of the production server (default 8)"
        )
        parser.add_argument(
            "--trusted-proxy",
            metavar="ADDRESS",
            help="address of the reverse proxy (e.g. 127.0.0.1) whose X-Forwarded-For and X-Forwarded-Proto "
            "headers are believed; without it waitress drops those headers",
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="development server: Django's runserver with auto-reload (RENKEI_DEBUG defaults to 1)",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        threads: int,
        trusted_proxy: str | None,
        dev: bool,
        **options: Any,
    ) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}")
        if threads < 1:
            raise CommandError(f"--threads must be at least 1, not {threads}")
        # whitenoise warns on every start when STATIC_ROOT is missing, even with finders enabled.
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)

        if dev:
            addrport = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            call_command("runserver", addrport, use_reloader=True, use_threading=True)
            return

        self.check(display_num_errors=False)
        self.check_migrations()
        from waitress import serve

        from renkei.wsgi import application

        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS(f"renkei is serving on http://{shown_host}:{port}/ (Ctrl+C to stop)"), ending="\n"
        )
        self.stdout.flush()
        proxy: dict[str, Any] = {}
        if trusted_proxy:
            # The client address feeds the sign-in throttle; the scheme makes Django see HTTPS.
            proxy = {"trusted_proxy": trusted_proxy, "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}}
        serve(application, host=host, port=port, threads=threads, ident="renkei", **proxy)
