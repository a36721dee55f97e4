"""The upload form of the import pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.imports.choices import ImportSource

# The job kind that imports each source (renkei.imports.tasks).
JOB_KINDS = {
    ImportSource.CORPORATE_NUMBERS: "imports.corporate_numbers",
    ImportSource.RESEARCHMAP: "imports.researchmap",
    ImportSource.KAKEN: "imports.kaken",
    ImportSource.PATENTS: "imports.patents",
    ImportSource.GBIZINFO: "imports.gbizinfo",
    ImportSource.ESTAT: "imports.estat",
}


class ImportUploadForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[(source.value, source.label) for source in ImportSource if source in JOB_KINDS],
        initial=ImportSource.CORPORATE_NUMBERS,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "The file as published (UTF-8 or Shift_JIS), or the zip as downloaded: the NTA CSV, researchmap "
            "JSON, KAKEN XML, a patent list CSV, a gBizINFO CSV (基本情報 or 特許) or an e-Stat table CSV."
        ),
        allow_empty_file=False,
    )
