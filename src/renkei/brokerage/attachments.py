"""Files attached to CRM records: what may be uploaded, under which name, and the two writes
(add, delete). The files live in Django's default storage under the data directory's media path
and are served only by the CRM's download view, which applies brokerage.access."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.brokerage import access
from renkei.brokerage.models import Attachment, Interaction, Introduction

# The kinds of file coordinators exchange: documents, spreadsheets, slides, text, images and
# archives. The type a download is served with comes from here, never from the upload.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain",
    "csv": "text/csv",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "zip": "application/zip",
}
MAX_NAME_LENGTH = 100
# Characters Windows, macOS or a shell treat specially; dropped from stored names.
_UNSAFE = set('<>:"/\\|?*')


def max_bytes() -> int:
    return settings.CRM_ATTACHMENT_MAX_BYTES


def extension_of(name: str) -> str:
    _stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def clean_filename(raw: str) -> str:
    """A safe file name from what the browser sent: the last path component only (so
    "../../etc/x.pdf" becomes "x.pdf"), without control or reserved characters or leading dots,
    at most MAX_NAME_LENGTH characters with its extension kept. May return ""."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch not in _UNSAFE and not unicodedata.category(ch).startswith("C"))
    name = name.strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        extension = extension_of(name)
        keep = MAX_NAME_LENGTH - len(extension) - 1 if extension else MAX_NAME_LENGTH
        name = f"{name[:keep].rstrip()}.{extension}" if extension else name[:keep]
    return name


def check_upload(upload: UploadedFile | None) -> str:
    """The cleaned name of an acceptable upload; a ValidationError on the field "file" otherwise."""
    if upload is None:
        raise ValidationError({"file": _("Choose a file to attach.")})
    name = clean_filename(upload.name or "")
    extension = extension_of(name)
    if not name or extension not in CONTENT_TYPES:
        allowed = ", ".join(sorted(CONTENT_TYPES))
        raise ValidationError(
            {"file": _("Files of this type cannot be attached. Allowed: %(allowed)s.") % {"allowed": allowed}}
        )
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > max_bytes():
        limit = max_bytes() / (1024 * 1024)
        raise ValidationError(
            {"file": _("The file is larger than the limit of %(limit)s MB.") % {"limit": f"{limit:g}"}}
        )
    return name


def do_add_attachment(actor, record: Interaction | Introduction, upload: UploadedFile | None) -> Attachment:
    """Attach a file to an interaction or an introduction the actor may change."""
    if not access.can_add_attachment(actor, record):
        raise PermissionDenied("You may not attach files to this record.")
    name = check_upload(upload)
    attachment = Attachment(name=name, size=upload.size, uploaded_by=actor)
    if isinstance(record, Interaction):
        attachment.interaction = record
    else:
        attachment.introduction = record
    attachment._history_user = actor
    attachment.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def do_delete_attachment(actor, attachment: Attachment) -> None:
    """Delete the record of the file now and the file once the deletion is committed."""
    if not access.can_delete_attachment(actor, attachment):
        raise PermissionDenied("You may not delete this attachment.")
    storage, path = attachment.file.storage, attachment.file.name
    attachment._history_user = actor
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(path))


def content_type_of(attachment: Attachment) -> str:
    return CONTENT_TYPES.get(extension_of(attachment.name), "application/octet-stream")
