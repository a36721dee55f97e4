"""HQ staff add an organisation by typing part of its name in the look-up box, picking the
official record with the keyboard, checking the fields it filled in, and saving."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from renkei.core.models import Municipality
from renkei.directory.models import Organisation
from tests.cast import PASSWORD, build_cast
from tests.directory.test_organisation_lookup import MIRAI, MIRAI_TRADING, make_corporation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_the_new_organisation_form(live_server, page):
    """Sign in as the cast's HQ staff of cluster A and open the new organisation form."""
    page.goto(f"{live_server.url}/en/login/")
    page.fill("input[name=username]", "hq_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.record-form button[type=submit]")
    expect(page.locator(".who")).to_contain_text("hq_a")
    page.goto(f"{live_server.url}/en/directory/organisations/new/")
    return page.locator("#id_lookup")


def test_hq_staff_type_a_name_pick_the_record_and_save(live_server, page):
    cast = build_cast()
    Municipality.objects.create(code="131016", prefecture_id="13", name_ja="千代田区", name_en="Chiyoda")
    make_corporation(
        MIRAI,
        "株式会社みらい精工",
        "13",
        "101",
        city_name="千代田区",
        street_number="丸の内１－１",
        post_code="1000005",
    )
    make_corporation(MIRAI_TRADING, "株式会社みらい精工商事", "13", "101", close_date="2020-03-31")

    box = open_the_new_organisation_form(live_server, page)
    expect(page.locator("button[name=lookup_fill]")).to_have_count(0)  # the script took over
    box.press_sequentially("みらい", delay=50)
    options = page.locator("#id_lookup-listbox [role=option]")
    expect(page.locator("#id_lookup-status")).to_contain_text("Candidates: 2")
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options.nth(1)).to_contain_text("closed on 2020-03-31")

    # The closed one, picked with the keyboard, warns.
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "id_lookup-option-1")
    box.press("Enter")
    expect(page.locator("#id_lookup-status")).to_contain_text("was closed on 2020-03-31")
    expect(page.locator("#id_corporate_number")).to_have_value(MIRAI_TRADING)

    # Then the open one.
    box.press_sequentially("みらい精工", delay=50)
    expect(page.locator("#id_lookup-status")).to_contain_text("Candidates: 2")
    expect(options).to_have_count(2)
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#id_name_ja")).to_have_value("株式会社みらい精工")
    expect(page.locator("#id_corporate_number")).to_have_value(MIRAI)
    expect(page.locator("#id_postal_code")).to_have_value("100-0005")
    expect(page.locator("#id_address")).to_have_value("丸の内１－１")
    expect(page.locator("#id_prefecture")).to_have_value("13")
    expect(page.locator("#id_municipality")).to_have_value("131016")
    expect(page.locator("#id_lookup-status")).to_contain_text("Filled in from the register")

    page.select_option("#id_cluster", str(cast.cluster_a.pk))
    page.select_option("#id_kind", "sme")
    page.click("form.record-form button.primary")
    expect(page.locator("h1")).to_contain_text("株式会社みらい精工")
    saved = Organisation.objects.get(corporate_number=MIRAI)
    assert saved.municipality_id == "131016"
    assert saved.address == "丸の内１－１"


def sign_in_and_open_the_form_with_two_candidates(live_server, page):
    build_cast()
    make_corporation(MIRAI, "株式会社みらい精工", "13", "101", city_name="千代田区", street_number="丸の内１－１")
    make_corporation(MIRAI_TRADING, "株式会社みらい精工商事", "13", "101", close_date="2020-03-31")
    return open_the_new_organisation_form(live_server, page)


def test_keys_that_confirm_a_japanese_conversion_do_not_pick_a_candidate(live_server, page):
    box = sign_in_and_open_the_form_with_two_candidates(live_server, page)
    box.press_sequentially("みらい", delay=50)
    expect(page.locator("#id_lookup-listbox [role=option]")).to_have_count(2)

    # The IME still composes: its arrow keys choose a conversion and its Enter confirms it.
    for key in ("ArrowDown", "Enter"):
        box.dispatch_event("keydown", {"key": key, "isComposing": True, "bubbles": True, "cancelable": True})
    expect(box).not_to_have_attribute("aria-activedescendant", "id_lookup-option-0")
    expect(page.locator("#id_corporate_number")).to_have_value("")
    expect(box).to_have_attribute("aria-expanded", "true")

    # Once composed, the same keys pick.
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.locator("#id_corporate_number")).to_have_value(MIRAI)


def test_a_corporate_number_typed_in_full_width_digits_is_found(live_server, page):
    box = sign_in_and_open_the_form_with_two_candidates(live_server, page)
    box.fill(MIRAI.translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    expect(page.locator("#id_lookup-status")).to_contain_text("Candidates: 1")
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.locator("#id_corporate_number")).to_have_value(MIRAI)
