"""The join address and the educator's screens of point 11 of issue 16, in the browser.

The educator opens the app at http://127.0.0.1:PORT (where the test server listens): the QR code
(decoded from the screen with zbarimg) and the address under it must still be one a tablet can
open, or the page must say plainly that none exists. The computer's network addresses are
injected (`app.urls.lan_addresses`), so both cases run on any machine; one test also runs with
the machine's own addresses.
"""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app import urls
from tests.e2e.conftest import DEVICES
from tests.e2e.helpers import Educator
from tests.e2e.test_screens import make_session

#: A hotspot's address and an IPv6 one (the IPv4 comes first).
LAN = ["192.168.43.10", "fd00::5"]


@pytest.fixture
def zbarimg() -> str:
    found = shutil.which("zbarimg")
    if found is None:
        pytest.fail("zbarimg is missing: run `make system-deps` (apt-get install zbar-tools).")
    return found


def decode_qr(page, selector: str, zbarimg: str, tmp_path) -> str:
    """The text of the QR code as a phone's camera would read it from the screen."""
    path = tmp_path / "qr.png"
    page.locator(selector).screenshot(path=str(path))
    result = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(path)], capture_output=True, text=True, check=False, timeout=30
    )
    assert result.returncode == 0, f"zbarimg read no QR code: {result.stderr}"
    return result.stdout.strip()


def open_as_educator(browser, live, account, viewport, sid: int):
    assert urlsplit(live.url).hostname == "127.0.0.1"
    context = browser.new_context(viewport=viewport)
    educator = Educator(context.new_page(), live.url)
    educator.login(*account)
    educator.open_session(sid)
    return context, educator.page


@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_an_educator_at_127_0_0_1_shows_tablets_the_laptops_network_address(
    browser, live, base_app, educator_account, monkeypatch, zbarimg, tmp_path, shot, device
):
    monkeypatch.setattr(urls, "lan_addresses", lambda: list(LAN))
    sid, code = make_session(base_app)
    port = urlsplit(live.url).port
    expected = f"http://192.168.43.10:{port}/j/{code}"
    context, page = open_as_educator(browser, live, educator_account, DEVICES[device], sid)

    assert page.inner_text("[data-join-url]").strip() == expected
    assert decode_qr(page, "img.qr", zbarimg, tmp_path) == expected
    expect(page.locator("[data-unreachable]")).to_have_count(0)
    shot(page, f"join-session-{device}")

    # The projector opens in its own window; the control page stays where it is.
    control_url = page.url
    link = page.locator("a[href$='/projector']")
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in (link.get_attribute("rel") or "")
    with context.expect_page() as opened:
        link.click()
    projector = opened.value
    projector.wait_for_load_state("load")
    assert page.url == control_url
    assert projector.url.endswith(f"/educator/sessions/{sid}/projector")
    assert projector.inner_text("[data-join-url]").strip() == expected
    assert decode_qr(projector, "img.projector-qr", zbarimg, tmp_path) == expected
    expect(projector.locator("[data-unreachable]")).to_have_count(0)
    shot(projector, f"join-projector-{device}")
    context.close()


@pytest.mark.parametrize("device", ["tablet", "phone"])
def test_with_no_network_address_the_session_page_and_projector_say_so(
    browser, live, base_app, educator_account, monkeypatch, shot, device
):
    monkeypatch.setattr(urls, "lan_addresses", lambda: [])
    sid, _ = make_session(base_app)
    context, page = open_as_educator(browser, live, educator_account, DEVICES[device], sid)
    warning = page.locator("[data-unreachable]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(live.url.rstrip("/"))
    expect(warning).to_contain_text("Wi-Fi")
    shot(page, f"join-unreachable-session-{device}")
    page.goto(f"{live.url}/educator/sessions/{sid}/projector")
    expect(page.locator("[data-unreachable]")).to_be_visible()
    shot(page, f"join-unreachable-projector-{device}")
    context.close()


def test_with_this_machines_own_addresses_the_qr_is_not_loopback_or_the_page_warns(
    browser, live, base_app, educator_account, zbarimg, tmp_path
):
    sid, code = make_session(base_app)
    context, page = open_as_educator(browser, live, educator_account, DEVICES["tablet"], sid)
    decoded = decode_qr(page, "img.qr", zbarimg, tmp_path)
    assert decoded == page.inner_text("[data-join-url]").strip()
    assert decoded.endswith(f"/j/{code}")
    if urls.lan_addresses():
        assert not urls.is_loopback_host(urlsplit(decoded).hostname or "")
        expect(page.locator("[data-unreachable]")).to_have_count(0)
    else:
        expect(page.locator("[data-unreachable]")).to_be_visible()
    context.close()


def test_the_new_session_form_has_checkboxes_of_one_size(browser, live, educator_account, shot):
    context = browser.new_context(viewport=DEVICES["phone"])
    educator = Educator(context.new_page(), live.url)
    educator.login(*educator_account)
    page = educator.page
    page.goto(live.url + "/educator/sessions/new")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll("main input[type=checkbox]")].map(el => {
             const r = el.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; })"""
    )
    assert len(sizes) > 3
    assert set(map(tuple, sizes)) == {(28, 28)}, sizes
    # The standard consent text is there for the educator to read before she edits it.
    page.locator("details summary").click()
    expect(page.locator("[data-default-consent=id]")).to_contain_text("kuis singkat")
    expect(page.locator("[data-default-consent=en]")).to_contain_text("short quiz")
    shot(page, "new-session-phone")
    context.close()


#: Every "pre-test"/"post-test" on the page whose letters sit on more than one line.
BROKEN_TEST_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement || !node.parentElement.offsetParent) continue;
    for (const m of node.data.matchAll(/(pre|post).test/gi)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(node.data.trim());
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pre_test_and_post_test_never_break_at_360_px(browser, live, base_app, educator_account, lang):
    sid, _ = make_session(base_app)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    educator = Educator(context.new_page(), live.url)
    if lang == "en":
        educator.page.goto(live.url + "/lang/en")
    educator.login(*educator_account)
    page = educator.page
    for path in (
        "/educator/sessions/new",
        f"/educator/sessions/{sid}",
        f"/educator/sessions/{sid}/projector",
    ):
        page.goto(live.url + path)
        assert page.evaluate(BROKEN_TEST_WORDS) == [], path
    context.close()
