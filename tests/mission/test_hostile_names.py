"""A scenario written by an attacker: names that are paths, markup, script, KVN keywords and
non-ASCII text. Nothing may land outside ``--out``, no product may overwrite another, the
CCSDS OEM files stay single-segment ASCII, and nothing in report.html may run (checked in
headless Chromium). Each of these failed before: ``../../x`` wrote ``x.oem`` two levels up,
a ``javascript:`` link ran from the Products list, a newline injected ``META_START`` and a
non-ASCII name crashed with UnicodeEncodeError after the whole run."""

from __future__ import annotations

import json
import os

import pytest

from areo.mission import run_mission
from areo.report import mission_page

# Each name: what an attacker (or an honest non-English user) might write.
ORBITERS = {
    "../../evil": "a path up and out",
    "/tmp/areo-abs-evil": "an absolute path",
    "javascript:window.__pwned=1": "a link scheme",
    "<img src=x onerror=window.__pwned=2>": "markup",
    "Tianwen-1 天问": "non-ASCII",
    "TIANWEN-1 天问": "the same slug as the previous one",
}
MISSION_NAME = "</script><script>window.__pwned=3</script>"
DESCRIPTION = "<svg onload=window.__pwned=4></svg> & \"quotes\" 'too'"
SITE_NAME = "<b onmouseover=window.__pwned=5>Crater</b>"


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _scenario() -> str:
    orbiters = "".join(
        f"[[orbiters]]\nname = {_toml_str(name)}\nperi_alt_km = {350.0 + 40 * k}\n"
        f"apo_alt_km = {450.0 + 40 * k}\ninc_deg = {60.0 + 5 * k}\n"
        'epoch_utc = "2032-01-01T00:00:00"\n\n'
        for k, name in enumerate(ORBITERS))
    return f"""
[mission]
name = {_toml_str(MISSION_NAME)}
description = {_toml_str(DESCRIPTION)}

[launch]
utc = "2030-11-01T00:00:00"
[arrival]
earliest = 2031-06-01
latest = 2031-09-30
[transfer]
grid_points = 20

{orbiters}
[landing]
name = {_toml_str(SITE_NAME)}
lat_deg = 12.5
lon_east_deg = 33.0
utc = "2032-01-01T00:00:00"

[operations]
sols = 2
ephemeris_sols = 1
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    work = root / "a" / "b"
    work.mkdir(parents=True)
    (work / "s.toml").write_text(_scenario(), encoding="utf-8")
    before = {p for p in root.rglob("*")}
    res = run_mission(work / "s.toml", work / "out", cache_dir=root / "cache",
                      pages=[mission_page])
    return root, work, before, res


def test_nothing_lands_outside_out(hostile):
    root, work, before, _ = hostile
    created = {p for p in root.rglob("*")} - before
    outside = [p for p in created
               if not (p.is_relative_to(work / "out") or p.is_relative_to(root / "cache"))]
    assert outside == []
    assert not os.path.exists("/tmp/areo-abs-evil.oem")
    assert not (root / "evil.oem").exists() and not (root / "a" / "evil.oem").exists()


def test_each_orbiter_has_its_own_oem_file(hostile):
    from areo.io.oem import read_oem

    _, work, _, _ = hostile
    oems = sorted(p.name for p in (work / "out").glob("*.oem"))
    assert oems == sorted(["evil.oem", "tmp-areo-abs-evil.oem",
                           "javascript-window.__pwned-1.oem",
                           "img-src-x-onerror-window.__pwned-2.oem",
                           "tianwen-1-u-5929u-95ee.oem", "tianwen-1-u-5929u-95ee-2.oem"])
    names = set()
    for name in oems:
        raw = (work / "out" / name).read_bytes()
        raw.decode("ascii")  # KVN is ASCII
        assert raw.count(b"META_START") == 1
        data = read_oem(work / "out" / name)
        assert len(data.segments) == 1
        names.add(data.segments[0].metadata["OBJECT_NAME"])
    assert "TIANWEN-1 U+5929U+95EE" in names  # the documented transliteration
    # the report keeps the real names
    html = (work / "out" / "report.html").read_text(encoding="utf-8")
    assert "Tianwen-1 天问" in html


def test_report_text_is_escaped(hostile):
    _, work, _, _ = hostile
    html = (work / "out" / "report.html").read_text(encoding="utf-8")
    for raw in (MISSION_NAME, "<svg onload", "<img src=x", "<b onmouseover"):
        assert raw not in html
    # product links are relative file names, never a scheme
    assert "href='javascript" not in html and 'href="javascript' not in html


@pytest.mark.browser
def test_nothing_in_the_report_runs(hostile, browser):
    _, work, _, _ = hostile
    report = (work / "out" / "report.html").resolve()
    browser.get("about:blank")
    browser.get(report.as_uri())
    assert browser.execute_script("return window.__pwned === undefined")
    # hover and click every product link and legend entry an analyst might touch
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    links = browser.find_elements(By.CSS_SELECTOR, "#products a")
    hrefs = [a.get_attribute("href") for a in links]
    assert hrefs and all(h.startswith(report.parent.as_uri() + "/") for h in hrefs), hrefs
    injected = browser.execute_script(
        "return document.querySelectorAll('header img, header svg, header script, "
        "h1 script, main > img, [onerror], [onload], [onmouseover]').length")
    assert injected == 0
    for el in browser.find_elements(By.CSS_SELECTOR, ".legendtext")[:20]:
        browser.execute_script(
            "arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));", el)
    assert browser.execute_script("return window.__pwned === undefined")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == [], errors
    assert MISSION_NAME in browser.title
