"""Files attached to interactions and introductions: uploaded by those who may change the record,
read under the rule of the record's notes, served only through the CRM's download view, deleted
by their uploader or HQ. Bad files are refused with a message naming the field, and nothing is
stored."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.accounts.models import Role, RoleKind
from renkei.brokerage import attachments
from renkei.brokerage.models import Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% NDA draft\n"


def upload(name="nda-draft.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def attach(client, record, kind="interaction", **file):
    return client.post(reverse(f"brokerage:{kind}_attach", args=[record.pk]), {"file": upload(**file)}, follow=True)


def download(client, attachment):
    return client.get(reverse("brokerage:attachment_download", args=[attachment.pk]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def coordinator_a2(cast):
    """A second coordinator of cluster A: sees the cluster's records, not a colleague's secrets."""
    user = get_user_model().objects.create_user(username="coordinator_a2", password="x")
    Role.objects.create(user=user, kind=RoleKind.COORDINATOR, cluster=cast.cluster_a)
    return user


# --- uploading ----------------------------------------------------------------------------------


def test_the_author_attaches_a_file_and_it_is_stored_under_the_media_path(cast, crm, client_for, settings):
    response = attach(client_for(cast.coordinator_a), crm.open_a)
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert (attachment.interaction, attachment.name, attachment.size) == (crm.open_a, "nda-draft.pdf", len(PDF))
    assert attachment.uploaded_by == cast.coordinator_a
    assert attachment.file.name.startswith("crm/attachments/")
    assert default_storage.path(attachment.file.name).startswith(str(settings.MEDIA_ROOT))
    assert "nda-draft.pdf" in response.content.decode()


def test_a_file_is_attached_to_an_introduction_by_the_clusters_staff(cast, crm, client_for):
    attach(client_for(cast.hq_a), crm.introduction_a, kind="introduction", name="slides.pptx")
    attachment = Attachment.objects.get()
    assert attachment.introduction == crm.introduction_a
    page = client_for(cast.coordinator_a).get(crm.introduction_a.get_absolute_url())
    assert "slides.pptx" in page.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "The file is empty."),
        ("tool.exe", b"MZ", "Files of this type cannot be attached."),
        ("page.html", b"<script>", "Files of this type cannot be attached."),
        ("noextension", b"abc", "Files of this type cannot be attached."),
    ],
)
def test_bad_files_are_refused_naming_the_field_and_nothing_is_stored(
    cast, crm, client_for, english, name, content, message
):
    response = attach(client_for(cast.coordinator_a), crm.open_a, name=name, content=content)
    text = response.content.decode()
    assert f"File: {message}" in text
    assert not Attachment.objects.exists()


def test_an_oversize_file_is_refused_with_the_limit(cast, crm, client_for, english, settings):
    settings.CRM_ATTACHMENT_MAX_BYTES = 1024 * 1024
    response = attach(client_for(cast.coordinator_a), crm.open_a, content=b"x" * (1024 * 1024 + 1))
    assert "The file is larger than the limit of 1 MB." in response.content.decode()
    assert not Attachment.objects.exists()
    attach(client_for(cast.coordinator_a), crm.open_a, content=b"x" * (1024 * 1024))
    assert Attachment.objects.count() == 1


def test_a_file_without_a_file_is_refused(cast, crm, client_for, english):
    response = client_for(cast.coordinator_a).post(
        reverse("brokerage:interaction_attach", args=[crm.open_a.pk]), {}, follow=True
    )
    assert "File: Choose a file to attach." in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.txt", "win.ini.txt"),
        ("/absolute/path/report.docx", "report.docx"),
        ("..pdf", "pdf"),  # no extension left: refused as a type
        ("報告書<草案>?.pdf", "報告書草案.pdf"),
        ("line\nbreak\x00.csv", "linebreak.csv"),
        ("a" * 300 + ".xlsx", "a" * 95 + ".xlsx"),
    ],
)
def test_file_names_are_cleaned(raw, clean):
    assert attachments.clean_filename(raw) == clean


def test_a_path_traversal_name_is_stored_inside_the_attachments_directory(cast, crm, client_for, settings):
    attach(client_for(cast.coordinator_a), crm.open_a, name="../../../../settings.pdf")
    attachment = Attachment.objects.get()
    assert attachment.name == "settings.pdf"
    path = default_storage.path(attachment.file.name)
    assert path.startswith(str(settings.MEDIA_ROOT / "crm" / "attachments"))
    assert path.endswith("/settings.pdf")


@pytest.mark.parametrize(("role", "expected"), [("hq_b", 404), ("national", 403), ("participant", 403)])
def test_who_may_not_change_the_record_may_not_attach_to_it(cast, crm, client_for, role, expected):
    response = client_for(getattr(cast, role)).post(
        reverse("brokerage:interaction_attach", args=[crm.open_a.pk]), {"file": upload()}
    )
    assert response.status_code == expected
    assert not Attachment.objects.exists()


def test_a_colleague_may_not_attach_to_someone_elses_interaction(cast, crm, client_for, coordinator_a2):
    response = client_for(coordinator_a2).post(
        reverse("brokerage:interaction_attach", args=[crm.open_a.pk]), {"file": upload()}
    )
    assert response.status_code == 403


# --- downloading --------------------------------------------------------------------------------


@pytest.fixture
def files(cast, crm):
    """One file on the open interaction, one on the confidential one, one on cluster B's."""
    return {
        "open": attachments.do_add_attachment(cast.coordinator_a, crm.open_a, upload("visit.pdf")),
        "confidential": attachments.do_add_attachment(cast.coordinator_a, crm.confidential_a, upload("cash.xlsx")),
        "b": attachments.do_add_attachment(cast.hq_b, crm.interaction_b, upload("beta.txt", b"beta")),
    }


READS = {
    # role: status for (open file of A, confidential file of A, file of B)
    "participant": (403, 403, 403),
    "coordinator_a": (200, 200, 404),
    "hq_a": (200, 200, 404),
    "hq_b": (404, 404, 200),
    "national": (200, 404, 200),
    "admin": (200, 200, 200),
}


@pytest.mark.parametrize(("role", "expected"), READS.items())
def test_downloads_follow_the_rule_of_the_records_notes(cast, files, client_for, role, expected):
    client = client_for(getattr(cast, role))
    got = tuple(download(client, files[key]).status_code for key in ("open", "confidential", "b"))
    assert got == expected


def test_a_visitor_is_sent_to_sign_in(cast, files, client_for):
    response = download(client_for(None), files["open"])
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_another_coordinator_of_the_cluster_cannot_download_a_confidential_file(
    cast, files, client_for, coordinator_a2
):
    client = client_for(coordinator_a2)
    assert download(client, files["open"]).status_code == 200
    assert download(client, files["confidential"]).status_code == 404
    page = client.get(files["confidential"].interaction.get_absolute_url()).content.decode()
    assert "cash.xlsx" not in page


def test_the_file_comes_back_as_a_download_with_a_safe_type(cast, files, client_for):
    response = download(client_for(cast.coordinator_a), files["open"])
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="visit.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_files_are_never_served_from_the_media_url(cast, files, client_for):
    client = client_for(cast.admin)
    assert client.get(f"/media/{files['open'].file.name}").status_code == 404


def test_an_unknown_attachment_is_not_found(cast, client_for):
    assert client_for(cast.admin).get(reverse("brokerage:attachment_download", args=[999999])).status_code == 404


def test_the_confidential_interactions_page_says_the_files_are_confidential(cast, files, client_for, english):
    page = client_for(cast.national).get(files["confidential"].interaction.get_absolute_url()).content.decode()
    assert "cash.xlsx" not in page
    assert "The attachments are confidential" in page


# --- deleting -----------------------------------------------------------------------------------


def delete(client, attachment):
    return client.post(reverse("brokerage:attachment_delete", args=[attachment.pk]))


def test_the_uploader_deletes_the_file_and_it_leaves_the_storage(
    cast, files, client_for, django_capture_on_commit_callbacks
):
    attachment = files["open"]
    path = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = delete(client_for(cast.coordinator_a), attachment)
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(path)


def test_hq_deletes_a_coordinators_file(cast, files, client_for):
    assert delete(client_for(cast.hq_a), files["confidential"]).status_code == 302
    assert not Attachment.objects.filter(pk=files["confidential"].pk).exists()


@pytest.mark.parametrize(("role", "expected"), [("hq_b", 404), ("national", 403), ("participant", 403)])
def test_others_may_not_delete_a_file(cast, files, client_for, role, expected):
    assert delete(client_for(getattr(cast, role)), files["open"]).status_code == expected
    assert Attachment.objects.filter(pk=files["open"].pk).exists()


def test_a_colleague_may_not_delete_a_file_they_did_not_upload(cast, files, client_for, coordinator_a2):
    assert delete(client_for(coordinator_a2), files["open"]).status_code == 403
    assert Attachment.objects.filter(pk=files["open"].pk).exists()
