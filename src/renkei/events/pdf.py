"""PDF documents of events (agendas, the meeting grid, table cards), typeset with Typst.

The layouts live in templates/events/typst/*.typ. They receive their data as one JSON value in
`sys.inputs.data` and print it as plain text, so nothing a participant typed (a name, an
organisation) is ever read as Typst markup. Every label is translated here, in Python, before it
goes in.

Japanese needs a CJK font and a fresh machine has none: the Noto Sans JP font file comes with the
`justmytype-intl-cjk` package, and Typst is pointed at its folder only (system fonts are ignored,
so the output is the same on every machine). Typst typesets a 150-table grid in well under a
second, where HTML-to-PDF engines took many seconds."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import typst

TEMPLATES = Path(__file__).parent / "templates" / "events" / "typst"
FONT_FAMILY = "Noto Sans JP"


@cache
def font_dir() -> Path:
    """The folder holding NotoSansJP[wght].ttf (a variable font: Typst picks the weights)."""
    return Path(str(files("justmytype_intl_cjk") / "fonts" / "ofl" / "notosansjp"))


def render_pdf(template: str, data: dict[str, Any]) -> bytes:
    """Typeset templates/events/typst/<template>.typ with `data` and return the PDF."""
    source = (TEMPLATES / f"{template}.typ").read_bytes()
    payload = json.dumps({"font": FONT_FAMILY, **data}, ensure_ascii=False, default=str)
    return typst.compile(
        source,
        root=str(TEMPLATES),
        font_paths=[str(font_dir())],
        ignore_system_fonts=True,
        sys_inputs={"data": payload},
    )
