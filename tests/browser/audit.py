"""Checks that run on any page: axe-core's accessibility rules and the width of a phone.

axe-core (tests/browser/vendor/axe.min.js, from its npm package, MPL-2.0) is injected by the
test into the page under test; it is never served by the app.
"""

from pathlib import Path

from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.pages import wait_until

AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")

_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + (n.failureSummary ? " — " + n.failureSummary.split("\\n").slice(1).join(" ") : ""))}))),
  (e) => done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]));
"""


def settled(driver: WebDriver) -> None:
    """Wait until no transition or animation is running (contrast is measured on the final colours)."""
    driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 0, "y": 0})
    wait_until(
        driver,
        lambda d: d.execute_script("return document.getAnimations().every(a => a.playState !== 'running')"),
        "the page never stopped animating",
    )


def axe_violations(driver: WebDriver) -> list[str]:
    """Every axe-core violation on the page as it is now, of any impact, one line per element."""
    settled(driver)
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE)
    found = driver.execute_async_script(_RUN_AXE)
    return [f"{v['id']} ({v['impact']}): {v['help']}: {node}" for v in found for node in v["nodes"] or [""]]


_WIDEST = """
const limit = document.documentElement.clientWidth;
const wide = [];
for (const el of document.body.querySelectorAll("*")) {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.right <= limit + 0.5) continue;
  let clipped = false;
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const style = getComputedStyle(p);
    if (style.overflowX !== "visible" && p.getBoundingClientRect().right <= limit + 0.5) { clipped = true; break; }
  }
  if (!clipped) wide.push((el.id ? "#" + el.id : el.tagName.toLowerCase() + "." + [...el.classList].join(".")) + " → " + Math.round(box.right));
}
return {width: document.documentElement.scrollWidth, limit: limit, wide: wide.slice(0, 8)};
"""


def overflow(driver: WebDriver) -> str | None:
    """None if the page is no wider than the viewport; else its width and the elements sticking out."""
    found = driver.execute_script(_WIDEST)
    if found["width"] <= found["limit"]:
        return None
    return f"{found['width']} px wide in {found['limit']} px: {', '.join(found['wide'])}"
