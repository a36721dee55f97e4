"""The reference data every installation loads: bureau regions, prefectures, every municipality
and designated-city ward, JSIC Rev.12 and Rev.13 and technology fields, from the CSV files
shipped in renkei/core/data."""

from __future__ import annotations

import datetime
import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from renkei.core import reference
from renkei.core.models import BureauRegion, IndustryClass, Municipality, Prefecture, TechField
from renkei.core.reference import ReferenceDataError, load_reference, read_rows, reference_is_loaded
from renkei.core.validators import is_valid_local_government_code
from renkei.demo import organisations, programmes, vocabulary

MODELS = (BureauRegion, Prefecture, Municipality, IndustryClass, TechField)


def snapshot() -> dict[str, list[dict]]:
    return {model.__name__: [model_to_dict(row) for row in model.objects.order_by("pk")] for model in MODELS}


@pytest.fixture
def loaded(db):
    return load_reference()


def test_it_loads_the_47_prefectures_and_the_9_bureau_regions(loaded):
    assert Prefecture.objects.count() == 47 == loaded.prefectures
    assert list(Prefecture.objects.values_list("code", flat=True)) == [f"{n:02d}" for n in range(1, 48)]
    assert list(BureauRegion.objects.values_list("code", flat=True)) == [
        "hokkaido", "tohoku", "kanto", "chubu", "kinki", "chugoku", "shikoku", "kyushu", "okinawa",
    ]  # fmt: skip
    assert all(p.name_ja and p.name_en and p.name_kana for p in Prefecture.objects.all())
    assert reference_is_loaded()


@pytest.mark.parametrize(
    ("code", "name_ja", "region"),
    [
        ("01", "北海道", "hokkaido"),
        ("15", "新潟県", "kanto"),
        ("19", "山梨県", "kanto"),
        ("20", "長野県", "kanto"),
        ("22", "静岡県", "kanto"),
        ("16", "富山県", "chubu"),
        ("17", "石川県", "chubu"),
        ("24", "三重県", "chubu"),
        ("18", "福井県", "kinki"),
        ("47", "沖縄県", "okinawa"),
    ],
)
def test_prefectures_belong_to_the_meti_bureau_that_covers_them(loaded, code, name_ja, region):
    prefecture = Prefecture.objects.get(code=code)
    assert prefecture.name_ja == name_ja
    assert prefecture.region.code == region


def test_bureau_assignments_agree_with_the_demo_programmes(loaded):
    assert dict(Prefecture.objects.values_list("code", "region__code")) == programmes.PREFECTURE_BUREAU


# Rev.13 (2013) created major group 61 無店舗小売業; Rev.12 (2007) has the other 98.
@pytest.mark.parametrize(
    ("revision", "group_numbers"), [("12", [*range(1, 61), *range(62, 100)]), ("13", range(1, 100))]
)
def test_it_loads_the_20_jsic_divisions_and_their_major_groups(loaded, revision, group_numbers):
    divisions = IndustryClass.objects.filter(revision=revision, level=IndustryClass.Level.DIVISION)
    groups = IndustryClass.objects.filter(revision=revision, level=IndustryClass.Level.MAJOR_GROUP)
    assert list(divisions.values_list("code", flat=True)) == list("ABCDEFGHIJKLMNOPQRST")
    assert list(groups.values_list("code", flat=True)) == [f"{n:02d}" for n in group_numbers]
    assert loaded.industries == 119 and loaded.older_industries == (("12", 118),)
    assert not groups.filter(parent__isnull=True).exists()
    assert not groups.exclude(parent__revision=revision).exists()
    assert not groups.exclude(parent__level=IndustryClass.Level.DIVISION).exists()
    assert groups.get(code="28").parent.code == "E"  # electronic parts are manufacturing
    assert groups.get(code="39").name_ja == "情報サービス業"
    assert groups.get(code="81").parent.code == "O"
    assert all(row.name_ja and row.name_en for row in IndustryClass.objects.all())


def test_every_municipality_code_passes_its_check_digit_and_lies_in_a_known_prefecture(loaded):
    prefectures = set(Prefecture.objects.values_list("code", flat=True))
    rows = list(read_rows("municipalities.csv"))
    assert len(rows) == Municipality.objects.count() == loaded.municipalities
    for row in rows:
        assert is_valid_local_government_code(row["code"]), row
        assert row["code"][:2] in prefectures, row
    for municipality in Municipality.objects.all():
        municipality.full_clean()
        assert municipality.prefecture_id == municipality.code[:2]


def test_every_prefecture_has_at_least_its_capital(loaded):
    assert set(Municipality.objects.values_list("prefecture_id", flat=True)) == {f"{n:02d}" for n in range(1, 48)}
    for code, name in [("011002", "札幌市"), ("131041", "新宿区"), ("231002", "名古屋市"), ("472018", "那覇市")]:
        assert Municipality.objects.get(code=code).name_ja == name


def test_the_municipalities_the_demo_and_the_programme_lists_name_are_there(loaded):
    named = {seed.municipality for seed in organisations.SEED_ORGANISATIONS if seed.municipality}
    assert named <= set(Municipality.objects.values_list("code", flat=True))
    # Cities the City Area list names in its prefecture_or_city column.
    for name, prefecture in [("横浜市", "14"), ("大阪市", "27"), ("帯広市", "01"), ("函館市", "01"),
                             ("鶴岡市", "06"), ("釜石市", "03")]:  # fmt: skip
        assert Municipality.objects.get(name_ja=name).prefecture_id == prefecture


def test_every_field_the_demo_uses_is_a_technology_field(loaded):
    used = set(vocabulary.KEYWORDS) | set(vocabulary.BUSINESS_WORDS)
    for project in programmes.IC1_PROJECTS:
        used |= set(project[4])
    for seed in organisations.SEED_ORGANISATIONS:
        used |= set(seed.fields)
    codes = set(TechField.objects.values_list("code", flat=True))
    assert used <= codes
    assert {"life-science", "it", "environment", "nanotech-materials", "energy", "manufacturing"} <= codes


def test_it_loads_every_municipality_ward_and_special_ward_of_japan(loaded):
    kinds = Municipality.Kind
    counts = {kind: Municipality.objects.filter(kind=kind).count() for kind in kinds.values}
    # 1,741 municipalities (792 cities, 743 towns, 183 villages, 23 special wards), the 175 wards
    # of designated cities before 2024 and the three wards Hamamatsu has had since.
    assert counts == {"city": 792, "town": 743, "village": 183, "special_ward": 23, "ward": 178}
    assert loaded.municipalities == 1919
    chuo = Municipality.objects.get(code="011011")
    assert (chuo.name_ja, chuo.name_en, chuo.name_kana) == ("札幌市中央区", "Sapporo Chuo-ku", "サッポロシチュウオウク")
    assert chuo.parent.code == "011002" and chuo.parent.kind == kinds.CITY
    assert Municipality.objects.get(code="011002").wards.count() == 10
    assert Municipality.objects.get(code="131016").kind == kinds.SPECIAL_WARD
    assert not Municipality.objects.filter(kind=kinds.WARD, parent__isnull=True).exists()
    assert not Municipality.objects.exclude(kind=kinds.WARD).filter(parent__isnull=False).exists()
    assert all(m.name_ja and m.name_en and m.name_kana for m in Municipality.objects.all())


def test_hamamatsus_reorganised_wards_keep_their_old_codes_with_an_end_date(loaded):
    wards = Municipality.objects.filter(parent_id="221309")
    old = wards.filter(valid_until=datetime.date(2023, 12, 31))
    new = wards.filter(valid_from=datetime.date(2024, 1, 1), valid_until__isnull=True)
    assert sorted(old.values_list("code", flat=True)) == [
        "221317", "221325", "221333", "221341", "221350", "221368", "221376",
    ]  # fmt: skip
    assert dict(new.values_list("code", "name_ja")) == {
        "221384": "浜松市中央区", "221392": "浜松市浜名区", "221406": "浜松市天竜区",
    }  # fmt: skip


def test_an_older_list_is_brought_up_to_date_without_breaking_what_points_at_it(loaded):
    sapporo = Municipality.objects.get(code="011002")
    Municipality.objects.filter(code="011011").update(name_ja="旧名", kind="", parent=None)
    Municipality.objects.filter(kind=Municipality.Kind.WARD).exclude(code="011011").delete()
    kept = Municipality.objects.create(code="019992", prefecture_id="01", name_ja="利用者が加えた町")

    load_reference()

    chuo = Municipality.objects.get(code="011011")
    assert (chuo.name_ja, chuo.kind, chuo.parent) == ("札幌市中央区", Municipality.Kind.WARD, sapporo)
    assert Municipality.objects.filter(kind=Municipality.Kind.WARD).count() == 178
    assert Municipality.objects.filter(pk=kept.pk).exists()  # never deleted


def test_loading_twice_changes_nothing(loaded):
    before = snapshot()
    again = load_reference()
    assert again == loaded
    assert snapshot() == before


def test_the_command_reports_what_it_loaded(db):
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert "47 prefectures" in out.getvalue()
    assert "119 JSIC Rev.13 classes, 118 JSIC Rev.12 classes" in out.getvalue()
    assert "1919 municipalities" in out.getvalue()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the shipped data files to spoil, read in place of the real ones."""
    target = tmp_path / "data"
    shutil.copytree(reference.DATA_DIR, target)
    monkeypatch.setattr(reference, "DATA_DIR", target)
    return target


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.usefixtures("english")
def test_a_municipality_code_with_a_wrong_check_digit_is_refused_and_nothing_is_saved(db, data_copy):
    _replace(data_copy / "municipalities.csv", "131041,新宿区", "131042,新宿区")
    with pytest.raises(ReferenceDataError) as error:
        load_reference()
    message = str(error.value)
    assert "municipalities.csv" in message and "'code'" in message and "expected 1" in message
    assert Prefecture.objects.count() == 0
    assert BureauRegion.objects.count() == 0


def test_a_prefecture_in_an_unknown_region_is_refused_by_the_command(db, data_copy):
    _replace(
        data_copy / "prefectures.csv", "15,新潟県,Niigata,ニイガタケン,kanto", "15,新潟県,Niigata,ニイガタケン,hokuriku"
    )
    with pytest.raises(CommandError) as error:
        call_command("load_reference")
    assert "prefectures.csv, line 16, field 'region'" in str(error.value)
    assert "nothing was changed" in str(error.value)
    assert Prefecture.objects.count() == 0


def test_a_ward_whose_city_is_not_listed_is_refused(db, data_copy):
    _replace(
        data_copy / "municipalities.csv",
        "011011,札幌市中央区,Sapporo Chuo-ku,サッポロシチュウオウク,ward,011002",
        "011011,札幌市中央区,Sapporo Chuo-ku,サッポロシチュウオウク,ward,012025",
    )
    with pytest.raises(ReferenceDataError, match=r"municipalities.csv, line \d+, field 'parent_code'"):
        load_reference()
    assert Municipality.objects.count() == 0


def test_a_major_group_whose_division_is_missing_is_refused(db, data_copy):
    _replace(data_copy / "jsic_rev13.csv", "01,major_group,A,", "01,major_group,Z,")
    with pytest.raises(ReferenceDataError, match="parent_code"):
        load_reference()
    assert IndustryClass.objects.count() == 0
