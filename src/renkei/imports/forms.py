"""The upload form of the import pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.imports.choices import ImportSource

# The job kind that imports each source (renkei.imports.tasks).
JOB_KINDS = {ImportSource.CORPORATE_NUMBERS: "imports.corporate_numbers"}


class ImportUploadForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[(source.value, source.label) for source in ImportSource if source in JOB_KINDS],
        initial=ImportSource.CORPORATE_NUMBERS,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("The CSV as published (UTF-8 or Shift_JIS), or the zip as downloaded."),
        allow_empty_file=False,
    )
