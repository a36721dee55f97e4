"""The record importers by source name, for the command, the upload form and the jobs."""

from __future__ import annotations

from renkei.imports.records import RecordSource


def record_source(name: str, *, create_missing: bool = False) -> RecordSource:
    """The adapter importing SOURCE ("researchmap", "kaken", "patents", "gbizinfo", "estat").
    CREATE_MISSING (gBizINFO only): create the corporations the directory does not hold."""
    if name == "researchmap":
        from renkei.imports.researchmap import ResearchmapSource

        return ResearchmapSource()
    if name == "kaken":
        from renkei.imports.kaken import KakenSource

        return KakenSource()
    if name == "patents":
        from renkei.imports.patents import PatentSource

        return PatentSource()
    if name == "gbizinfo":
        from renkei.imports.gbizinfo import GbizinfoSource

        return GbizinfoSource(create_missing=create_missing)
    if name == "estat":
        from renkei.imports.estat import EstatSource

        return EstatSource()
    raise ValueError(f"no record importer for {name!r}")
