"""The explorer in headless Chromium: plotly draws the network and a click on a node opens its record."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.cast import PASSWORD, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hq_staff_opens_the_explorer_and_a_node_opens_its_record(live_server, page):
    cast = build_cast()
    page.goto(f"{live_server.url}/ja/login/")
    page.fill("input[name=username]", "hq_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.record-form button[type=submit]")
    expect(page.locator(".who")).to_contain_text("hq_a")

    page.click("nav.main-nav a[href='/ja/network/']")
    expect(page).to_have_url(re.compile(r"/ja/network/$"))
    expect(page.locator("#network-graph .main-svg").first).to_be_attached()
    expect(page.locator("#by-year-chart .main-svg").first).to_be_attached()
    expect(page.locator("#brokers table")).to_contain_text("Aクラスター推進協議会")

    # A click on a node hands plotly's event, with the node's customdata, to the page's handler.
    url = f"/ja/directory/organisations/{cast.university_a.pk}/"
    page.evaluate(
        "url => document.getElementById('network-graph').emit('plotly_click', {points: [{customdata: url}]})", url
    )
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.locator("h1")).to_contain_text("アルファ大学")
