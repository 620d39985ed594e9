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
        vinf: drawn('.scatterlayer .js-line'),
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
    # C3, the v-inf lines and their labels, min C3, the inside mark
    assert plot["traces"] == plot["full"] == 5, plot
    assert plot["fills"] >= 10, plot  # the C3 field's filled bands
    assert plot["lines"] >= 10, plot  # C3 contour lines
    assert plot["vinf"] >= 1, plot  # the v-infinity lines
    assert plot["points"] == 2, plot  # the star and the mark inside the grid
    # the axes span the grid, not the skipped 2020 mark
    assert plot["x"][0][:10] == "2028-08-01" and plot["x"][1][:10] == "2029-01-31", plot
    assert plot["y"][0][:10] == "2029-03-01" and plot["y"][1][:10] == "2030-12-31", plot


def test_no_nan_reaches_plotly_and_the_grid_is_thinned(readme_porkchop, tmp_path):
    from areo.transfer.plots import HTML_MAX_CELLS

    path = _write(_with_gaps(readme_porkchop), tmp_path / "pc.html", [M2020])
    data = _figure_json(path)
    for trace in data[:1]:  # the C3 contour trace
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
    star = data[3]
    assert star["x"][0][:10] == str(readme_porkchop.launch[int(i)].utc_iso(0))[:10]
    assert star["y"][0][:10] == str(readme_porkchop.arrive[int(j)].utc_iso(0))[:10]
    # M2020 skipped
    assert [t.get("name") for t in data] == ["C3", "v∞ arrive (km/s)", None, "min C3"]


def test_vinf_lines_follow_their_level_and_stay_off_blank_cells():
    """Every point of an arrival v-infinity line lies on its level (bilinear interpolation
    of the grid at the point, the contour's own definition) and inside cells that have a
    solution: no line through the white part of the porkchop."""
    from areo.transfer.plots import _vinf_lines

    rng = np.random.default_rng(4)
    na, nl = 40, 50
    yy, xx = np.mgrid[0:na, 0:nl]
    vinf = 2.0 + 0.08 * xx + 0.05 * yy + 0.01 * rng.standard_normal((na, nl))
    valid = np.ones((na, nl), dtype=bool)
    valid[10:25, 20:35] = False  # a block with no solution
    launch_et = 1000.0 * np.arange(nl) * 86.4  # any increasing axes
    arrive_et = 2e6 + 1000.0 * np.arange(na) * 86.4
    traces = _vinf_lines(vinf, valid, launch_et, arrive_et)
    from areo.time import Time

    # the lines' points are UTC milliseconds (plotly's date axes): back to TDB with areo's
    # Time at whole milliseconds (each point is placed to 1 ms)
    xs = np.asarray(traces[0].x, dtype=float)
    ys = np.asarray(traces[0].y, dtype=float)
    xs, ys = xs[np.isfinite(xs)], ys[np.isfinite(ys)]

    def et_of(ms):
        iso = np.datetime_as_string(np.round(ms).astype("int64").astype("datetime64[ms]"))
        return Time([s + "Z" for s in iso]).et

    fx = np.interp(et_of(xs), launch_et, np.arange(nl))
    fy = np.interp(et_of(ys), arrive_et, np.arange(na))
    i0 = np.clip(np.floor(fy).astype(int), 0, na - 2)
    j0 = np.clip(np.floor(fx).astype(int), 0, nl - 2)
    u, w = fy - i0, fx - j0
    bil = ((1 - u) * (1 - w) * vinf[i0, j0] + (1 - u) * w * vinf[i0, j0 + 1]
           + u * (1 - w) * vinf[i0 + 1, j0] + u * w * vinf[i0 + 1, j0 + 1])
    levels = np.arange(2.0, 8.01, 0.5)
    # to the points' 1 ms placement (a cell here is 86 400 s)
    assert np.max(np.min(np.abs(bil[:, None] - levels[None, :]), axis=1)) < 1e-6

    def quad_valid(i, j):
        i, j = np.clip(i, 0, na - 2), np.clip(j, 0, nl - 2)
        return valid[i, j] & valid[i + 1, j] & valid[i, j + 1] & valid[i + 1, j + 1]

    # each point lies in a quad whose four corners have a solution (to the rounding of the
    # dates, a point on a quad's edge may belong to either quad)
    eps = 1e-4
    ok = np.zeros(fx.size, dtype=bool)
    for di in (-eps, eps):
        for dj in (-eps, eps):
            ok |= quad_valid(np.floor(fy + di).astype(int), np.floor(fx + dj).astype(int))
    assert ok.all()



def test_the_static_porkchop_skips_a_mark_outside_its_dates(readme_porkchop, tmp_path):
    """The PNG, like the page, keeps its axes on the grid: an off-grid mark (the README's
    M2020) is skipped with a warning instead of stretching the axes to 2020."""
    import matplotlib.dates as mdates

    from areo.transfer.plots import plot_porkchop

    with pytest.warns(AreoWarning, match="mark 'M2020'.*outside the porkchop's dates"):
        fig = plot_porkchop(readme_porkchop, tmp_path / "pc.png", marks=[M2020])
    x0, x1 = (mdates.num2date(v).year for v in fig.axes[0].get_xlim())
    assert (x0, x1) == (2028, 2029)
