"""The platform index follows the database: rows map to documents, saves and deletes update the
index after commit, and `renkei reindex` rebuilds it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from renkei.directory.models import Organisation
from renkei.matching import indexing, services
from renkei.matching.models import Seed
from tests.matching.listings import *  # noqa: F403


def test_rows_map_to_documents_with_prefixed_ids(cast, listings):
    doc = indexing.seed_document(listings.public_seed)
    assert doc.id == f"seed-{listings.public_seed.pk}"
    assert "糖鎖工学による診断薬" in doc.title and "Glycotechnology diagnostics" in doc.title
    assert doc.keywords == ("糖鎖工学", "診断薬")
    assert indexing.need_document(listings.public_need).id == f"need-{listings.public_need.pk}"
    assert indexing.organisation_document(cast.company_a) is None  # no capability text
    cast.company_a.capability = "精密金型加工"
    assert indexing.organisation_document(cast.company_a).id == f"org-{cast.company_a.pk}"


def test_reindex_builds_the_platform_index_from_the_database(cast, listings, index_env, capsys):
    Organisation.objects.filter(pk=cast.company_a.pk).update(capability="精密金型加工と微細加工")
    call_command("reindex", "--no-progress")
    assert "Indexed 9 documents" in capsys.readouterr().out
    index = indexing.get_index()
    assert f"org-{cast.company_a.pk}" in index
    assert f"seed-{listings.coordinators_seed.pk}" in index
    top = index.search("糖鎖工学", top=1)[0]
    assert top.id == f"seed-{listings.public_seed.pk}"


def test_saving_and_deleting_update_the_index_after_commit(
    cast, listings, index_env, django_capture_on_commit_callbacks
):
    call_command("reindex", "--no-progress")
    with django_capture_on_commit_callbacks(execute=True):
        seed = services.do_save_seed(
            cast.participant,
            Seed(organisation=cast.company_a, title_ja="超音波溶接", summary_ja="樹脂部品の超音波溶接技術。"),
        )
    index = indexing.get_index()
    assert f"seed-{seed.pk}" in index
    assert index.search("超音波溶接", top=1)[0].id == f"seed-{seed.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        seed.title_en = "Ultrasonic welding"
        services.do_save_seed(cast.participant, seed)
    assert "Ultrasonic welding" in indexing.get_index().get(f"seed-{seed.pk}").title

    with django_capture_on_commit_callbacks(execute=True):
        services.do_delete_listing(cast.participant, seed)
    assert f"seed-{seed.pk}" not in indexing.get_index()


def test_nothing_is_indexed_when_the_transaction_fails(cast, index_env, django_capture_on_commit_callbacks):
    call_command("reindex", "--no-progress")
    before = len(indexing.get_index())
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        services.do_save_seed(cast.participant, Seed(organisation=cast.company_a, title_ja="", summary_ja="x"))
    assert callbacks == []
    assert len(indexing.get_index()) == before


def test_an_organisations_capability_follows_its_edits(cast, index_env, django_capture_on_commit_callbacks):
    call_command("reindex", "--no-progress")
    org_id = f"org-{cast.company_a.pk}"
    assert org_id not in indexing.get_index()
    with django_capture_on_commit_callbacks(execute=True):
        cast.company_a.capability = "レーザー微細加工"
        cast.company_a.save()
    assert org_id in indexing.get_index()
    with django_capture_on_commit_callbacks(execute=True):
        cast.company_a.capability = ""
        cast.company_a.save()
    assert org_id not in indexing.get_index()
