from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "renkei.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Every process (web, worker, command) knows every job kind, so a page can name a job
        # and the inline runner can run it: import the `tasks` module of each renkei app.
        for config in apps.get_app_configs():
            if config.name.startswith("renkei.") and module_has_submodule(config.module, "tasks"):
                import_module(f"{config.name}.tasks")
