"""Business matching in a browser: participant A requests a meeting with B in the marketplace, B
accepts, the organiser runs the scheduler and announces, and A finds the meeting (time, table,
with whom) on their agenda."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from renkei.directory.models import Organisation
from renkei.events.choices import MeetingRequestStatus, MeetingStatus
from renkei.events.models import Meeting, MeetingRequest
from tests.cast import PASSWORD, build_cast
from tests.events.meeting_helpers import matching_event, participant, profile_of, registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, live_server, username: str, language: str):
    context = browser.new_context(locale=f"{language}-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/{language}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.record-form button[type=submit]")
    expect(page.locator(".who")).to_contain_text(username)
    return page


def with_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_request_accept_schedule_announce_and_the_agenda_shows_the_meeting(live_server, browser):
    cast = build_cast()
    event = matching_event(cast.cluster_a, slots=3, tables=2)
    company = Organisation.objects.get(name_en="Alpha Precision")
    aoki = with_password(participant("aoki", organisation=company))
    baba = with_password(participant("baba", organisation=cast.university_a))
    registered(aoki, event, offer="精密切削加工と5軸マシニング", looking_for="燃料電池の電極触媒の量産技術")
    other = registered(baba, event, offer="白金使用量を半減した電極触媒", looking_for="量産試作に協力いただける企業")
    base = live_server.url

    # A opens the marketplace and asks B for a meeting.
    a_page = sign_in(browser, live_server, "aoki", "ja")
    a_page.goto(f"{base}/ja/events/{event.pk}/marketplace/")
    row = a_page.locator(f"#profile-{profile_of(other).pk}")
    expect(row).to_contain_text("白金使用量を半減した電極触媒")
    row.locator("a.button").click()
    expect(a_page.locator(f"input[name=recipients][value='{other.pk}']")).to_be_checked()
    a_page.fill("textarea[name=message]", "電極触媒の量産についてご相談させてください。")
    a_page.click("form.record-form button[type=submit]")
    expect(a_page).to_have_url(re.compile(rf"/ja/events/{event.pk}/requests/$"))
    request = MeetingRequest.objects.get(event=event, requester__person__user=aoki)
    expect(a_page.locator(f"#outgoing #request-{request.pk}")).to_contain_text("電極触媒の量産について")
    assert request.status == MeetingRequestStatus.PENDING

    # B signs in (in English), finds the request and accepts it.
    b_page = sign_in(browser, live_server, "baba", "en")
    b_page.goto(f"{base}/en/events/{event.pk}/requests/")
    incoming = b_page.locator(f"#incoming #request-{request.pk}")
    expect(incoming).to_contain_text("Pending")
    incoming.locator("button", has_text="Accept").click()
    expect(b_page.locator(f"#incoming #request-{request.pk}")).to_contain_text("Accepted")
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.ACCEPTED

    # The organiser (HQ of the cluster) runs the scheduler and announces the schedule.
    hq_page = sign_in(browser, live_server, "hq_a", "ja")
    hq_page.goto(f"{base}/ja/events/{event.pk}/meetings/")
    hq_page.click("form.record-form button[type=submit]")
    expect(hq_page.locator("#run-result")).to_contain_text("1")
    expect(hq_page.locator("#announce")).to_be_visible()
    hq_page.click("#announce")
    expect(hq_page.locator("#announce")).to_have_count(0)
    meeting = Meeting.objects.select_related("slot", "table").get(request=request)
    assert meeting.status == MeetingStatus.ANNOUNCED

    # A opens their agenda: the meeting with B, at its time and table.
    a_page.goto(f"{base}/ja/events/{event.pk}/agenda/")
    row = a_page.locator("#agenda-slots tr.agenda-meeting")
    expect(row).to_have_count(1)
    start = timezone.localtime(meeting.slot.starts_at).strftime("%H:%M")
    expect(row).to_contain_text(start)
    expect(row).to_contain_text(meeting.table.name)
    expect(row).to_contain_text(other.person.name_ja)
    expect(row).to_contain_text("白金使用量を半減した電極触媒")
    for page in (a_page, b_page, hq_page):
        page.context.close()
