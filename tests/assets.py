"""Checks on the assets a rendered page loads."""

from __future__ import annotations

import re

ASSET = re.compile(r"<(?:script|link|img)\b[^>]*?\b(?:src|href)=\"([^\"]*)\"", re.IGNORECASE)


def external_assets(html: str) -> list[str]:
    """The scripts, style sheets and images the page loads from another host (a CDN): every
    asset must be served by the site itself, offline."""
    return [url for url in ASSET.findall(html) if url.startswith(("//", "http:", "https:"))]
