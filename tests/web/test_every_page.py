"""Every page without URL arguments, for every role of the cast: it answers without a server
error, in both languages, and a visitor who is not signed in is never shown a page that needs a
role. Pages with arguments are covered, role by role, in each app's own tests."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages every visitor may open; all other argument-free pages need a signed-in user.
PUBLIC = {
    "home",
    "login",
    "directory:organisation_list",
    "directory:person_list",
    "programs:programme_list",
    "programs:cluster_list",
    "matching:seed_list",
    "matching:need_list",
    "matching:search",
    "matching:challenge_list",
    "events:event_list",
}
# Not pages: form posts, downloads, fragments and machine endpoints.
SKIPPED_PREFIXES = ("admin:", "api", "set_language", "logout", "healthz", "directory:municipality_options")


def _page_names(patterns, namespace: str = "") -> list[str]:
    names = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += _page_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
            names.append(f"{namespace}{entry.name}")
    return sorted(set(names))


PAGES = [name for name in _page_names(get_resolver().url_patterns) if not name.startswith(SKIPPED_PREFIXES)]
ROLES = ["anonymous", "participant", "coordinator_a", "hq_a", "national", "admin"]


def test_the_walk_finds_the_main_pages():
    assert {"home", "directory:organisation_list", "programs:cluster_list"} <= set(PAGES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_page_answers_every_role(cast, client_for, role, language):
    from django.urls import reverse
    from django.utils import translation

    client = client_for(getattr(cast, role))
    failures = []
    for name in PAGES:
        with translation.override(language):
            path = reverse(name)
        response = client.get(path)
        if response.status_code >= 500:
            failures.append(f"{path}: {response.status_code}")
        elif role == "anonymous" and name not in PUBLIC:
            if response.status_code == 200:
                failures.append(f"{path}: shown to a visitor who is not signed in")
        elif response.status_code not in (200, 302, 403, 404, 405):
            failures.append(f"{path}: unexpected {response.status_code}")
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode()
            if f'lang="{language}"' not in html:
                failures.append(f"{path}: not served in {language}")
    assert not failures, "\n".join(failures)
