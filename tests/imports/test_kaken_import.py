"""KAKEN grant projects: the XML read as a stream, projects linked to researchers (by researcher
number) and institutions (review queue), bad projects rejected alone, re-imports unchanged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core.models import Visibility
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.imports.choices import ImportSource, ImportStatus, LinkKind, ReviewStatus
from renkei.imports.files import ImportFileError
from renkei.imports.kaken import KakenSource
from renkei.imports.models import GrantMember, GrantProject, ImportRun, ResearcherIdentifier, ReviewItem
from renkei.imports.records import do_import_records
from renkei.imports.review import do_decide_review_item

from .helpers import DATA

pytestmark = pytest.mark.django_db

SAMPLE = DATA / "kaken_grantAwards.xml"
TEXT = SAMPLE.read_text(encoding="utf-8")
AWARD = TEXT[TEXT.index("<grantAward ") : TEXT.index("</grantAward>") + len("</grantAward>")]


def award(number: str, **replace: str) -> str:
    text = AWARD.replace("99K99999", number)
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def file_of(tmp_path, *awards: str, name: str = "kaken.xml"):
    path = tmp_path / name
    body = "\n".join(awards)
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<grantAwards>\n{body}\n</grantAwards>\n', encoding="utf-8"
    )
    return path


def run_import(path, user=None) -> ImportRun:
    return do_import_records(KakenSource(), path, user=user)


def test_a_project_is_imported_with_its_members_amounts_and_years(cast):
    run = run_import(SAMPLE)

    assert run.source == ImportSource.KAKEN and run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.created, run.rejected) == (1, 1, 0)
    project = GrantProject.objects.get()
    assert project.award_number == "99K99999" and project.record_id == "KAKENHI-PROJECT-99K99999"
    assert project.title_ja == "架空の精密位置決め機構に関する研究" and project.category == "基盤研究(C)"
    assert (project.start_fiscal_year, project.end_fiscal_year) == (2019, 2021)
    assert (project.direct_cost, project.indirect_cost, project.total_cost) == (3_300_000, 990_000, 4_290_000)
    assert project.keywords == "精密位置決め, ものづくり" and project.status == "project_closed"
    assert project.institution_name == "架空大学" and project.summary.startswith("本研究は")
    member = GrantMember.objects.get()
    assert (member.role, member.researcher_number, member.name, member.name_kana) == (
        "principal_investigator",
        "99999999",
        "架空 太郎",
        "カクウ タロウ",
    )
    assert (member.institution_name, member.department, member.job_title) == ("架空大学", "工学研究科", "教授")


def test_members_link_by_researcher_number_and_institutions_through_the_review_queue(cast):
    person = Person.objects.create(family_name_ja="架空", given_name_ja="太郎", visibility=Visibility.RESTRICTED)
    ResearcherIdentifier.objects.create(person=person, erad_code="99999999")
    university = Organisation.objects.create(kind="university", name_ja="架空大学")

    run_import(SAMPLE)

    assert GrantMember.objects.get().person == person
    item = ReviewItem.objects.get()
    assert item.kind == LinkKind.GRANT_INSTITUTION and item.grant_project.award_number == "99K99999"
    do_decide_review_item(cast.national, item, confirm=item.candidates.get(organisation=university))
    assert GrantProject.objects.get().institution == university

    again = run_import(SAMPLE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert ReviewItem.objects.count() == 1


def test_a_member_without_a_number_links_by_name_at_the_confirmed_institution(cast, tmp_path):
    university = Organisation.objects.create(kind="university", name_ja="架空大学")
    person = Person.objects.create(family_name_ja="架空", given_name_ja="太郎")
    Affiliation.objects.create(person=person, organisation=university)
    namesake = Person.objects.create(family_name_ja="架空", given_name_ja="太郎")
    no_number = {' researcherNumber="99999999"': ""}

    first = run_import(file_of(tmp_path, award("11A11111", **no_number), name="first.xml"))

    assert first.created == 1
    # Neither link is certain yet: the institution by name only, so two people of that name.
    member_item = ReviewItem.objects.get(kind=LinkKind.GRANT_MEMBER)
    assert {c.person for c in member_item.candidates.all()} == {person, namesake}
    institution_item = ReviewItem.objects.get(kind=LinkKind.GRANT_INSTITUTION)
    do_decide_review_item(cast.admin, institution_item, confirm=institution_item.candidates.get())

    second = run_import(file_of(tmp_path, award("22B22222", **no_number), name="second.xml"))

    assert second.created == 1
    project = GrantProject.objects.get(award_number="22B22222")
    assert project.institution == university  # the confirmed name is certain from now on
    assert project.members.get().person == person  # the one of that name at the institution


def test_bad_projects_are_rejected_alone_with_line_element_and_reason(cast, tmp_path):
    path = file_of(
        tmp_path,
        award("10A00001"),
        award("10A00002", **{"<startFiscalYear>2019": "<startFiscalYear>20X9"}),
        award("10A00003", **{"<endFiscalYear>2021": "<endFiscalYear>2015"}),
        award("10A00004", **{"<directCost>3300000": "<directCost>-5"}),
        award("10A00005", **{'researcherNumber="99999999"': 'researcherNumber="12"'}),
        award("10A00006", **{"<modified>2024-03-01": "<modified>2024-02-30"}),
        award("", **{'id="KAKENHI-PROJECT-"': 'id="x"'}),
        award("10A00008", **{"<title>架空の": "<title>=cmd|' /C calc'!A0 架空の"}),
    )

    run = run_import(path)

    rejected = {r.field: r for r in run.rejections.all()}
    assert set(rejected) == {
        "periodOfAward/startFiscalYear",
        "periodOfAward/endFiscalYear",
        "overallAwardAmount/directCost",
        "member[1]/@researcherNumber",
        "modified",
        "@awardNumber",
    }
    assert all(r.line_number > 2 and r.reason and r.raw.startswith("<grantAward") for r in rejected.values())
    assert (run.rows_read, run.created, run.rejected) == (8, 2, 6)
    assert GrantProject.objects.get(award_number="10A00008").title_ja.startswith("=cmd")  # stored as text


def test_a_truncated_file_keeps_the_projects_before_the_break(cast, tmp_path):
    path = file_of(tmp_path, award("10A00001"), award("10A00002"))
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"10A00002") + 300])

    run = run_import(path)

    assert run.status == ImportStatus.SUCCEEDED and run.created == 1
    assert run.rejections.get().field == "xml"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        "課題番号,研究課題名\n19K00001,研究\n".encode(),
        b"<?xml version='1.0'?><rss><channel/></rss>",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><grantAwards>&lol;</grantAwards>',
        b"\x89PNG\r\n\x1a\n",
    ],
    ids=["empty", "csv", "other-xml", "dtd", "binary"],
)
def test_a_file_that_is_not_kaken_xml_is_refused_whole(cast, tmp_path, content):
    path = tmp_path / "x.xml"
    path.write_bytes(content)

    with pytest.raises(ImportFileError):
        run_import(path)

    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert not GrantProject.objects.exists()


def test_a_reviewer_rejection_is_recorded_and_not_asked_again(cast):
    Organisation.objects.create(kind="university", name_ja="架空大学")
    run_import(SAMPLE)
    item = ReviewItem.objects.get()

    do_decide_review_item(cast.admin, item)
    run_import(SAMPLE)

    item.refresh_from_db()
    assert item.status == ReviewStatus.REJECTED and item.decided_by == cast.admin and item.decided_at
    assert ReviewItem.objects.count() == 1 and GrantProject.objects.get().institution is None


def test_a_researcher_number_recurring_across_projects_is_looked_up_once(cast, tmp_path):
    person = Person.objects.create(family_name_ja="架空", given_name_ja="太郎", visibility=Visibility.RESTRICTED)
    ResearcherIdentifier.objects.create(person=person, erad_code="99999999")
    path = file_of(tmp_path, *(award(f"99K0000{n}") for n in range(1, 5)))

    with CaptureQueriesContext(connection) as queries:
        run_import(path)

    assert set(GrantMember.objects.values_list("person_id", flat=True)) == {person.pk}
    lookups = [q["sql"] for q in queries.captured_queries if "imports_researcheridentifier" in q["sql"]]
    assert len(lookups) == 1, lookups
