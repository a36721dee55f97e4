"""A cluster HQ staff member signs in, switches language, searches, opens a record and edits it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renkei.directory.models import Organisation
from tests.cast import PASSWORD, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hq_staff_signs_in_switches_language_searches_opens_and_edits(live_server, page):
    cast = build_cast()
    cast.company_a.name_kana = "アルファセイミツ"
    cast.company_a.save()
    page.goto(f"{live_server.url}/ja/login/")
    page.fill("input[name=username]", "hq_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.record-form button[type=submit]")
    expect(page.locator(".who")).to_contain_text("hq_a")

    page.click("#language-switch button[value=en]")
    expect(page).to_have_url(re.compile(r"/en/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.click("nav.main-nav >> text=Organisations")
    page.fill("input[name=q]", "あるふぁせいみつ")  # hiragana finds the katakana name アルファ精密
    page.keyboard.press("Enter")
    row_link = page.locator("table.records a", has_text="Alpha Precision")
    expect(row_link).to_be_visible()
    expect(page.locator("table.records a", has_text="Alpha University")).to_have_count(0)
    row_link.click()
    expect(page.locator("h1")).to_contain_text("Alpha Precision")

    page.click("a[href$='/edit/']")
    page.fill("textarea[name=capability]", "Five-axis machining of titanium implants")
    page.click("form.record-form button[type=submit]")
    expect(page.locator("body")).to_contain_text("Five-axis machining of titanium implants")
    expect(page.locator("#history")).to_contain_text("hq_a")
    assert Organisation.objects.get(name_en="Alpha Precision").capability.startswith("Five-axis")
