"""The mission report's page (areo.report.page): the template escapes every text from the
scenario, links only to relative product files and fetches nothing.

The browser-level check of a hostile scenario (nothing runs in Chromium) is
tests/mission/test_hostile_names.py; this one reads the raw page, without a mission run."""

from __future__ import annotations

import copy
import importlib.resources
from html.parser import HTMLParser

import pytest

from areo.errors import AreoInputError
from areo.report import render_html
from areo.report.page import environment, product_href

HOSTILE = {
    "name": "</script><script>window.__pwned=3</script>",
    "description": "<img src=x onerror=window.__pwned=4> & \"quotes\" 'too'",
    "site": "<b onmouseover=window.__pwned=5>Crater</b>",
    "orbiter": "<svg onload=window.__pwned=6>",
    "station": "\"><script>window.__pwned=7</script>",
    "file": "scen<ario>\".toml",
    "rover": "<iframe src=javascript:alert(1)>",
}


def _summary(campaign: bool = True, **text: str) -> dict:
    """A summary.json as the pipeline writes it (the keys the page reads)."""
    t = {
        "name": "ExoMars 2028", "description": "A test mission.", "site": "Oxia Planum",
        "orbiter": "tgo", "station": "DSS-63", "file": "exomars.toml",
        "rover": "rosalind_franklin", **text,
    }
    s = {
        "areo_version": "0.1.0", "runtime_s": 12.5,
        "scenario": {"name": t["name"], "description": t["description"], "file": t["file"]},
        "launch": {"utc": "2028-10-04T21:56:15Z", "c3_km2s2": 22.745, "dla_deg": 40.74,
                   "rla_deg": 56.37, "dv_depart_kms": 4.213, "parking_alt_km": 200.0},
        "transfer": {"tof_days": 786.1, "type": "III", "revs": 1, "pinned": False,
                     "objective": "c3"},
        "arrival": {"utc": "2030-11-30T00:00:00Z", "vinf_kms": 3.105,
                    "declination_deg": -21.81, "capture_dv_kms": 0.998,
                    "capture_orbit": {"periapsis_alt_km": 250.0, "apoapsis_alt_km": 94163.0,
                                      "period_hours": 96.0},
                    "insertion": {"final_alt_km": 400.0, "dv_direct_kms": 2.316,
                                  "dv_propulsive_kms": 2.303, "dv_aerobraking_kms": 1.068}},
        "landing": {"utc": "2030-12-01T00:00:00Z", "mars_year": 40, "ls_deg": 12.3,
                    "lmst_hours": 14.2, "sol0_midnight_utc": "2030-11-30T10:00:00Z",
                    "site": {"name": t["site"], "lat_deg": 18.275, "lon_east_deg": 335.368}},
        "orbiters": [{"name": t["orbiter"], "period_s": 7000.0, "peri_alt_km": 380.0,
                      "apo_alt_km": 420.0, "inc_deg": 74.0}],
        "relay": {"sols": 20, "mean_mbit_per_sol": 622.0, "median_latency_s": 900.0,
                  "passes_used": 40, "passes_found": 90, "lander_radio": t["rover"],
                  "stations": [t["station"]], "earth_contacts": {t["orbiter"]:
                                                                  {"hours_per_day": 9.5}},
                  "conjunctions": []},
        "campaign": None,
    }
    if campaign:
        s["campaign"] = {"rover": t["rover"], "sols": 20, "n_samples": 2, "max_depth_m": 1.0,
                         "experiment_cycles": 1, "vertical_surveys": 0, "soc_min_pct": 41.2,
                         "last_science_sol": 18, "data_returned_mbit": 580.0,
                         "mean_data_returned_mbit_per_sol": 29.0, "contingency_sols": 0,
                         "dust_tau": 0.5}
    return s


class _Links(HTMLParser):
    """Every tag, and every URL-bearing attribute, outside <script> text."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href", "action", "formaction", "srcset", "poster", "data"):
                self.urls.append((tag, k, v or ""))


def _page(summary: dict, figures: dict | None = None, files=("passes.csv",)) -> str:
    from plotly.offline import get_plotlyjs

    page = render_html(summary, figures or {}, list(files))
    js = get_plotlyjs()
    assert page.count(js) == 1  # inlined once
    return page.replace(js, "")  # what the template made around plotly.js


def test_the_engine_escapes_every_scenario_text():
    assert environment().autoescape is True
    page = _page(_summary(**HOSTILE), files=["passes.csv", HOSTILE["orbiter"] + ".oem"])
    for text in HOSTILE.values():
        assert text not in page, text
    # ... where each one arrives as escaped text (Jinja2's escapes: &lt; &gt; &amp; &#34; &#39;)
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=3&lt;/script&gt;" in page
    assert ("&lt;img src=x onerror=window.__pwned=4&gt; &amp; &#34;quotes&#34; &#39;too&#39;"
            in page)
    assert "&lt;b onmouseover=window.__pwned=5&gt;Crater&lt;/b&gt;" in page
    assert "&lt;svg onload=window.__pwned=6&gt; period" in page  # the orbiter table
    assert "&lt;svg onload=window.__pwned=6&gt;.oem</a>" in page  # the product list
    assert "&#34;&gt;&lt;script&gt;window.__pwned=7&lt;/script&gt;" in page
    assert "scen&lt;ario&gt;&#34;.toml" in page
    # no tag came in from a name: the page has the same tags as a harmless one
    hostile, harmless = _Links(), _Links()
    hostile.feed(page)
    harmless.feed(_page(_summary(), files=["passes.csv", "tgo.oem"]))
    assert hostile.tags == harmless.tags and hostile.tags.count("script") == 1
    assert not {"img", "svg", "iframe"} & set(hostile.tags)


def test_the_page_is_self_contained():
    """Nothing is fetched: no external script, style sheet, image or frame; links are the
    page's own sections or products beside it."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=[0, 1], y=[1, 2]))
    page = _page(_summary(), {"porkchop": fig},
                 files=["passes.csv", "tgo.oem", "javascript:alert(1)", "a b#c?.csv"])
    parser = _Links()
    parser.feed(page)
    assert "link" not in parser.tags and "iframe" not in parser.tags
    assert parser.tags.count("script") == 2  # plotly.js, and the one figure's newPlot
    assert 'class="plotly-graph-div"' in page and "Plotly.newPlot" in page
    for tag, attr, url in parser.urls:
        assert tag == "a" and attr == "href", (tag, attr, url)
        assert url.startswith("#") or (url.startswith("./") and "/" not in url[2:]
                                       and ":" not in url), url
    hrefs = [u for _, _, u in parser.urls if u.startswith("./")]
    assert hrefs == ["./a%20b%23c%3F.csv", "./javascript%3Aalert%281%29", "./passes.csv",
                     "./tgo.oem"]
    assert 'src="http' not in page and "href='http" not in page and 'href="http' not in page
    assert "@import" not in page and "url(http" not in page


@pytest.mark.parametrize("name", ["../x.csv", "/etc/passwd", "", "..", "a/b.csv"])
def test_a_product_link_never_leaves_the_output(name):
    with pytest.raises(AreoInputError):
        product_href(name)


def test_sections_follow_the_figures_and_a_missing_campaign_is_said():
    import plotly.graph_objects as go

    figs = {k: go.Figure() for k in ("porkchop", "ecliptic", "per-sol")}
    page = _page(_summary(campaign=False), figs)
    order = [page.index(f'<section id="{k}">') for k in
             ("figures", "porkchop", "ecliptic", "per-sol", "campaign", "products")]
    assert order == sorted(order)
    assert "no rover campaign was planned" in page and "Rover campaign" not in page
    nav = page[page.index("<nav>"):page.index("</nav>")]
    assert [a.split('"')[1] for a in nav.split("<a href=")[1:]] == [
        "#figures", "#porkchop", "#ecliptic", "#per-sol"]
    with_campaign = _page(_summary(), figs)
    assert "Rover campaign" in with_campaign and "no rover campaign" not in with_campaign


def test_the_templates_are_package_data():
    root = importlib.resources.files("areo.report") / "templates"
    assert (root / "mission.html.j2").is_file() and (root / "report.css").is_file()


def test_render_does_not_change_its_inputs():
    s = _summary(**HOSTILE)
    before = copy.deepcopy(s)
    _page(s)
    assert s == before
