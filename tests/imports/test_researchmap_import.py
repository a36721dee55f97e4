"""researchmap profiles → people (not public), their researcher numbers and affiliations; the
layouts accepted, the rows rejected, re-imports that change nothing, and who may import over whom."""

from __future__ import annotations

import json

import pytest

from renkei.core.models import RecordSource, Visibility
from renkei.directory.access import visible_people
from renkei.directory.models import Organisation, Person
from renkei.imports.choices import ImportSource, ImportStatus, LinkKind, ReviewStatus
from renkei.imports.files import ImportFileError
from renkei.imports.models import ImportRun, ResearcherIdentifier, ReviewItem
from renkei.imports.records import do_import_records
from renkei.imports.researchmap import ResearchmapSource

from .helpers import DATA

pytestmark = pytest.mark.django_db

SAMPLE = DATA / "researchmap_researcher.json"
PROFILE = json.loads(SAMPLE.read_text(encoding="utf-8"))


def profile(**changes) -> dict:
    data = json.loads(json.dumps(PROFILE))
    data.update(changes)
    return data


def write_lines(path, profiles: list) -> object:
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in profiles), encoding="utf-8")
    return path


def run_import(path, user=None, **kwargs) -> ImportRun:
    return do_import_records(ResearchmapSource(), path, user=user, **kwargs)


def test_a_profile_becomes_a_person_who_is_not_public(cast):
    run = run_import(SAMPLE)

    assert run.source == ImportSource.RESEARCHMAP and run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.created, run.updated, run.unchanged, run.rejected) == (1, 1, 0, 0, 0)
    person = Person.objects.get(researchmap_id="kakuu_taro")
    assert (person.family_name_ja, person.given_name_ja, person.family_name_kana) == ("架空", "太郎", "カクウ")
    assert (person.family_name_en, person.given_name_en) == ("Kakuu", "Taro")
    assert person.orcid == "0000-0000-0000-0000"
    assert person.research_keywords == "精密加工, precision machining"
    assert person.visibility == Visibility.RESTRICTED and not person.consent_to_publish
    assert person.source == RecordSource.IMPORT
    assert ResearcherIdentifier.objects.get(erad_code="99999999").person == person
    assert person not in visible_people(cast.anonymous) and person not in visible_people(cast.participant)


def test_importing_the_same_file_again_changes_nothing(cast):
    run_import(SAMPLE)
    person = Person.objects.get(researchmap_id="kakuu_taro")
    stamp = person.updated_at
    history = person.history.count()

    again = run_import(SAMPLE)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    person.refresh_from_db()
    assert person.updated_at == stamp and person.history.count() == history
    assert Person.objects.filter(source=RecordSource.IMPORT).count() == 1 and ResearcherIdentifier.objects.count() == 1


def test_a_later_import_keeps_what_staff_published(cast, tmp_path):
    run_import(SAMPLE)
    imported = Person.objects.filter(researchmap_id="kakuu_taro")
    imported.update(consent_to_publish=True, visibility=Visibility.PUBLIC, email="taro@example.jp")
    changed = profile(given_name={"ja": "太朗", "en": "Taro"})

    run = run_import(write_lines(tmp_path / "r.jsonl", [changed]))

    person = imported.get()
    assert run.updated == 1 and person.given_name_ja == "太朗"
    assert (person.visibility, person.consent_to_publish, person.email) == (Visibility.PUBLIC, True, "taro@example.jp")


def test_an_affiliation_by_name_alone_waits_for_review_then_later_profiles_link_at_once(cast, tmp_path):
    Organisation.objects.create(kind="university", name_ja="国立大学法人架空大学", name_en="Kakuu University")
    run = run_import(SAMPLE)

    item = ReviewItem.objects.get()
    assert item.kind == LinkKind.AFFILIATION and item.status == ReviewStatus.PENDING and item.run == run
    assert item.person.researchmap_id == "kakuu_taro" and item.name == "架空大学"
    assert item.department == "工学研究科" and item.title_ja == "教授" and item.line_number == 1
    assert [c.organisation.name_en for c in item.candidates.all()] == ["Kakuu University"]
    assert not item.person.affiliations.exists()

    from renkei.imports.review import do_decide_review_item

    do_decide_review_item(cast.admin, item, confirm=item.candidates.get())
    other = profile(permalink="kakuu_hanako", **{"rm:id": "R000099998"})
    other["family_name"] = {"ja": "架空", "en": "Kakuu"}
    other["given_name"] = {"ja": "花子", "en": "Hanako"}
    other["identifiers"] = {}
    run_import(write_lines(tmp_path / "more.jsonl", [other]))

    hanako = Person.objects.get(researchmap_id="kakuu_hanako")
    assert hanako.affiliations.get().organisation.name_en == "Kakuu University"
    assert ReviewItem.objects.count() == 1


def test_re_importing_does_not_queue_the_same_link_twice(cast):
    Organisation.objects.create(kind="university", name_ja="架空大学")
    Organisation.objects.create(kind="other", name_ja="架空大学", name_en="Kakuu University Hospital")
    run_import(SAMPLE)
    run_import(SAMPLE)

    item = ReviewItem.objects.get()
    assert item.candidates.count() == 2


@pytest.mark.parametrize("layout", ["array", "items", "jsonl", "zip"])
def test_the_accepted_layouts(cast, tmp_path, layout):
    second = profile(permalink="kakuu_jiro", identifiers={}, given_name={"ja": "次郎", "en": "Jiro"})
    if layout == "array":
        path = tmp_path / "r.json"
        path.write_text(json.dumps([PROFILE, second], ensure_ascii=False, indent=1), encoding="utf-8")
    elif layout == "items":
        path = tmp_path / "r.json"
        path.write_text(json.dumps({"total_items": 2, "items": [PROFILE, second]}, indent=2), encoding="utf-8")
    elif layout == "jsonl":
        path = write_lines(tmp_path / "r.jsonl", [PROFILE, second])
    else:
        from .helpers import zip_of

        data = json.dumps([PROFILE, second]).encode()
        path = zip_of(tmp_path / "r.zip", {"researchers.json": data})

    run = run_import(path)

    assert (run.rows_read, run.created, run.rejected) == (2, 2, 0)
    imported = Person.objects.filter(source=RecordSource.IMPORT)
    assert set(imported.values_list("researchmap_id", flat=True)) == {"kakuu_taro", "kakuu_jiro"}


def test_bad_profiles_are_rejected_with_line_field_and_reason(cast, tmp_path):
    rows = [
        PROFILE,
        profile(family_name={"en": ""}, permalink="no_name"),
        profile(permalink="bad date", identifiers={}),
        profile(permalink="bad_orcid", identifiers={"orc_id": ["1234"]}),
        profile(permalink="bad_erad", identifiers={"erad_id": ["12"]}),
        profile(
            permalink="bad_date", identifiers={}, affiliations=[{"affiliation": {"ja": "X"}, "from_date": "2020-13"}]
        ),
        profile(permalink="formula", identifiers={}, family_name={"ja": '=HYPERLINK("x")'}),
        ["not", "an", "object"],
        profile(permalink="nul", identifiers={}, family_name={"ja": "a\x00b"}),
    ]
    path = write_lines(tmp_path / "r.jsonl", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"family_name": {"ja": "切れ"\n')

    run = run_import(path)

    rejected = {r.line_number: (r.field, r.reason) for r in run.rejections.all()}
    assert set(rejected) == {2, 3, 4, 5, 6, 8, 9, 10}
    assert rejected[2][0] == "family_name"
    assert rejected[3][0] == "permalink"
    assert rejected[4][0] == "identifiers.orc_id"
    assert rejected[5][0] == "identifiers.erad_id"
    assert rejected[6] == ("affiliations[1].from_date", "'2020-13' is not a real date")
    assert rejected[8][0] == "record"
    assert rejected[9][0] == "family_name.ja" and "NUL" in rejected[9][1]
    assert rejected[10][0] == "json"
    assert (run.rows_read, run.created, run.rejected) == (10, 2, 8)
    assert Person.objects.get(researchmap_id="formula").family_name_ja == '=HYPERLINK("x")'  # stored as text


def test_a_researcher_number_held_by_another_person_rejects_the_row_and_writes_nothing_of_it(cast, tmp_path):
    run_import(SAMPLE)
    thief = profile(permalink="other_person", identifiers={"erad_id": ["99999999"]})
    thief["family_name"] = {"ja": "別人"}
    # Found by its researcher number: the same person, whose permalink changed.
    run = run_import(write_lines(tmp_path / "r.jsonl", [thief]))
    assert run.updated == 1 and Person.objects.filter(source=RecordSource.IMPORT).count() == 1
    assert ResearcherIdentifier.objects.get(erad_code="99999999").person.researchmap_id == "other_person"

    both = [profile(permalink="p_one", identifiers={"erad_id": ["11111111"]}), profile(permalink="p_one_b")]
    both[1]["identifiers"] = {"erad_id": ["22222222"]}
    Person.objects.create(family_name_ja="三人目", researchmap_id="p_one_b")
    ResearcherIdentifier.objects.create(person=Person.objects.get(researchmap_id="p_one_b"), erad_code="33333333")
    clash = profile(permalink="p_one_b", identifiers={"erad_id": ["11111111"]})
    run = run_import(write_lines(tmp_path / "c.jsonl", [both[0], clash]))

    assert run.rejected == 1
    rejection = run.rejections.get()
    assert rejection.line_number == 2 and rejection.field == "identifiers.erad_id"
    assert Person.objects.get(researchmap_id="p_one_b").family_name_ja == "三人目"  # the row rolled back whole


@pytest.mark.parametrize(
    "content",
    [b"", b"permalink,name\nx,y\n", b'{"something": "else"}', b"[1, 2, 3]" + b", 4" * 0, b"\xff\xfe\x00garbage"],
    ids=["empty", "csv", "other-object", "numbers", "binary"],
)
def test_a_file_that_is_not_researchmap_is_refused_whole(cast, tmp_path, content):
    path = tmp_path / "x.json"
    path.write_bytes(content)

    if content == b"[1, 2, 3]":
        run = run_import(path)  # an array: each item judged alone
        assert run.rejected == 3 and not Person.objects.filter(source=RecordSource.IMPORT).exists()
        return
    with pytest.raises(ImportFileError):
        run_import(path)
    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert not Person.objects.filter(source=RecordSource.IMPORT).exists()


def test_hq_staff_cannot_import_over_a_person_of_another_cluster(cast, tmp_path):
    cast.engineer_b.researchmap_id = "kakuu_taro"
    cast.engineer_b.save()

    run = run_import(SAMPLE, user=cast.hq_a)

    assert run.rejected == 1 and "another cluster" in run.rejections.get().reason
    cast.engineer_b.refresh_from_db()
    assert cast.engineer_b.family_name_ja != "架空"


def test_hq_staff_see_only_candidates_they_may_see(cast):
    Organisation.objects.create(kind="university", name_ja="架空大学", visibility=Visibility.RESTRICTED)

    run_import(SAMPLE, user=cast.hq_a)

    assert not ReviewItem.objects.exists()  # the only organisation of that name is hidden from them


def test_a_line_not_in_the_files_encoding_is_rejected_alone(cast, tmp_path):
    good = json.dumps(PROFILE, ensure_ascii=False).encode("utf-8")
    other = json.dumps(profile(permalink="kakuu_jiro", identifiers={}), ensure_ascii=False).encode("utf-8")
    path = tmp_path / "r.jsonl"
    path.write_bytes(good + b"\n" + other.replace("架空".encode(), "架空".encode("cp932"), 1) + b"\n")

    run = run_import(path)

    assert run.encoding == "utf-8" and (run.created, run.rejected) == (1, 1)
    rejection = run.rejections.get()
    assert (rejection.line_number, rejection.field) == (2, "encoding") and "not valid utf-8" in rejection.reason
