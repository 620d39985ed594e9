"""The interactive porkchop (areo.transfer.plots.porkchop_figure_html) as a person sees it.

The README's grid (2028 window, 1-day steps: 184 x 671 cells, three quarters of them above
the 40 km^2/s^2 cap) used to give an 11 MB page that stayed blank in Chromium with
``Uncaught findEmpties iterated with no new neighbors`` in the console: plotly's contour
interpolates NaN cells and throws on large gaps. Its M2020 mark (2020-2021) stretched the
axes to 2020-2030."""

from __future__ import annotations

import base64
import dataclasses
import json
import re

import numpy as np
import pytest

from areo.errors import AreoWarning

README_SPAN = ("2028-08-01", "2029-01-31", "2029-03-01", "2030-12-31")
M2020 = ("2020-07-30", "2021-02-18", "M2020")
INSIDE = ("2028-10-10", "2029-10-01", "a mark in the window")

_CONTOURS_JS = """
var el = document.querySelector('.js-plotly-plot');
function drawn(sel) {
  return Array.from(el.querySelectorAll(sel)).filter(function (p) {
    var d = p.getAttribute('d'); return d && d.length > 4; }).length;
}
return {traces: (el.data || []).length, full: (el._fullData || []).length,
        fills: drawn('.contourlayer .contourfill path'),
        lines: drawn('.contourlayer .contourlines path'),
        points: el.querySelectorAll('.scatterlayer .point').length,
        x: el._fullLayout.xaxis.range, y: el._fullLayout.yaxis.range};
"""


@pytest.fixture(scope="module")
def readme_porkchop():
    from areo.transfer import porkchop_span

    return porkchop_span(*README_SPAN, step_days=1)


def _with_gaps(pc):
    """The same grid with a block of cells that have no solution (NaN everywhere)."""
    c3 = pc.c3_km2s2.copy()
    vinf = pc.vinf_arrive_kms.copy()
    c3[60:90, 200:260] = np.nan
    vinf[60:90, 200:260] = np.nan
    c3[:, -3:] = np.nan
    vinf[:, -3:] = np.nan
    return dataclasses.replace(pc, c3_km2s2=c3, vinf_arrive_kms=vinf)


def _figure_json(path):
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", text, re.S)
    assert found
    return json.loads(found[0])


def _write(pc, path, marks):
    from areo.transfer.plots import plot_porkchop

    with pytest.warns(AreoWarning, match="mark 'M2020'.*outside the porkchop's dates"):
        plot_porkchop(pc, path, marks=marks)
    return path


@pytest.mark.browser
@pytest.mark.parametrize("gaps", [False, True], ids=["readme", "with-nan-cells"])
def test_readme_porkchop_renders_in_chromium(readme_porkchop, browser, tmp_path, gaps):
    assert readme_porkchop.shape == (184, 671)
    pc = _with_gaps(readme_porkchop) if gaps else readme_porkchop
    path = _write(pc, tmp_path / "porkchop.html", [M2020, INSIDE])
    size = path.stat().st_size
    assert size < 7_000_000, size  # was 11.0 MB; plotly.js alone is ~4.8 MB
    browser.get("about:blank")
    browser.get_log("browser")  # drop what an earlier page left
    browser.get(path.resolve().as_uri())
    severe = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert severe == [], severe
    plot = browser.execute_script(_CONTOURS_JS)
    assert plot["traces"] == plot["full"] == 4, plot  # C3, v-inf, min C3, the inside mark
    assert plot["fills"] >= 10, plot  # the C3 field's filled bands
    assert plot["lines"] >= 20, plot  # C3 and v-infinity contour lines
    assert plot["points"] == 2, plot  # the star and the mark inside the grid
    # the axes span the grid, not the skipped 2020 mark
    assert plot["x"][0][:10] == "2028-08-01" and plot["x"][1][:10] == "2029-01-31", plot
    assert plot["y"][0][:10] == "2029-03-01" and plot["y"][1][:10] == "2030-12-31", plot


def test_no_nan_reaches_plotly_and_the_grid_is_thinned(readme_porkchop, tmp_path):
    from areo.transfer.plots import HTML_MAX_CELLS

    path = _write(_with_gaps(readme_porkchop), tmp_path / "pc.html", [M2020])
    data = _figure_json(path)
    for trace in data[:2]:  # the two contour traces
        z = trace["z"]
        assert z["dtype"] == "f4"  # float32, base64: no 17-digit decimals
        values = np.frombuffer(base64.b64decode(z["bdata"]), dtype="<f4")
        assert np.isfinite(values).all()
        ny, nx = (int(v) for v in z["shape"].split(","))
        assert ny * nx <= HTML_MAX_CELLS and nx == len(trace["x"]) and ny == len(trace["y"])
    c3 = np.frombuffer(base64.b64decode(data[0]["z"]["bdata"]), dtype="<f4")
    assert c3.min() == pytest.approx(np.nanmin(readme_porkchop.c3_km2s2), abs=0.5)
    # the star is the minimum of the full grid, not of the thinned one
    i, j = readme_porkchop.argmin("c3")
    star = data[2]
    assert star["x"][0][:10] == str(readme_porkchop.launch[int(i)].utc_iso(0))[:10]
    assert star["y"][0][:10] == str(readme_porkchop.arrive[int(j)].utc_iso(0))[:10]
    assert [t.get("name") for t in data] == ["C3", "v∞ arrive", "min C3"]  # M2020 skipped


def test_fill_gaps_fills_from_the_neighbours():
    from areo.transfer.plots import _fill_gaps

    z = np.arange(20.0).reshape(4, 5)
    g = z.copy()
    g[1:3, 1:4] = np.nan
    filled = _fill_gaps(g)
    assert np.isfinite(filled).all() and np.array_equal(filled[~np.isnan(g)], z[~np.isnan(g)])
    assert filled[1:3, 1:4].min() >= z.min() and filled[1:3, 1:4].max() <= z.max()
    assert np.array_equal(_fill_gaps(np.full((3, 3), np.nan)), np.zeros((3, 3)))
