"""What every page must pass in the browser: no sideways scrolling at 320 pixels wide, the
keyboard reaches the skip link, the navigation and the main links, and axe-core finds nothing
serious or critical."""

from __future__ import annotations

import json

from tests.browser.conftest import AXE
from tests.conftest import PASSWORD

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1024, "height": 768}


def sign_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in violations
        ],
        indent=2,
    )


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it does not scroll)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


# The focused element, marked so that coming round to it again is noticed.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const again = e.dataset.ppFocused === '1';
  e.dataset.ppFocused = '1';
  return {tag: e.tagName, text: (e.innerText || e.value || '').trim(),
          href: e.getAttribute('href'), again: again};
}"""

# Every link Tab must reach, but the GOV.UK tabs' other tabs: Tab reaches the selected one and
# the arrow keys the rest, as the component is built (each page with tabs tests the arrows).
MAIN_LINKS = """() => Array.from(document.querySelectorAll(
    'main a[href], .govuk-service-navigation a[href]'))
  .filter(a => a.offsetParent !== null)
  .filter(a => !(a.getAttribute('role') === 'tab' && a.getAttribute('tabindex') === '-1'))
  .map(a => a.getAttribute('href'))"""


def tab_through(page, limit: int = 250) -> list[dict]:
    """Press Tab from the top of the page until focus comes round again."""
    # Start from the very top: focus a placeholder put before everything else on the page.
    page.evaluate(
        """() => {
          document.querySelectorAll('[data-pp-focused]').forEach(e => delete e.dataset.ppFocused);
          const start = document.createElement('span');
          start.id = 'pp-tab-start';
          start.tabIndex = -1;
          document.body.prepend(start);
          start.focus();
        }"""
    )
    seen: list[dict] = []
    for n in range(limit):
        page.keyboard.press("Tab")
        if n == 0:
            page.evaluate("() => document.getElementById('pp-tab-start').remove()")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["again"]:
            break
        seen.append(focused)
    return seen


def check_page(page, url: str) -> None:
    """Open the page wide and narrow, tab through it, and run axe-core on both."""
    page.set_viewport_size(WIDE)
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    assert page.title().strip(), f"{url}: no title"
    assert page.locator("h1").count() == 1, f"{url}: not one h1"

    violations = axe_violations(page)
    assert not violations, f"axe-core at {WIDE['width']}px on {url}:\n{describe(violations)}"

    focused = tab_through(page)
    assert focused and focused[0]["text"] == "Skip to main content", f"{url}: {focused[:1]}"
    reached = {f["href"] for f in focused if f["href"]}
    missing = [href for href in page.evaluate(MAIN_LINKS) if href not in reached]
    assert not missing, f"{url}: the keyboard never reached {missing}"

    page.set_viewport_size(NARROW)
    assert sideways_overflow(page) <= 0, f"{url} scrolls sideways at 320px"
    violations = axe_violations(page)
    assert not violations, f"axe-core at {NARROW['width']}px on {url}:\n{describe(violations)}"
