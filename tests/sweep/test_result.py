"""SweepResult follows the result contract (docs/design.md "Results"), its figure shows
the collected values, and the sweep report escapes what the files say."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from tests.sweep.helpers import write_sweep


def _reject(name):
    raise ValueError(name)


def test_contract(serial):
    df = serial.to_frame()
    assert str(df["landing_utc"].dtype) == "datetime64[ns, UTC]"
    recs = serial.to_records()
    # the datetimes are the records' ISO text (summary.json's), read by numpy
    want = np.array([np.datetime64(r["landing_utc"].rstrip("Z"), "ns") for r in recs])
    assert (df["landing_utc"].dt.tz_localize(None).to_numpy() == want).all()
    assert list(df.columns[:4]) == ["variant", "seed", "status", "error"]
    d = json.loads(serial.to_json(), parse_constant=_reject)
    assert d["kind"] == "SweepResult" and d["count"] == len(serial) == len(d["items"])
    assert d["items"] == recs and d["parameters"] == ["operations.min_elev_deg", "dust.tau"]
    text = repr(serial)
    assert text.startswith("SweepResult: 12 variants of 'cheap trade'") and "\n" not in text
    assert len(text) < 200 and "12 ok, 0 failed" in text


def test_plot_shows_the_collected_values(serial):
    fig = serial.plot(y="relay.passes_used", x="operations.min_elev_deg")
    assert [t.name for t in fig.data] == ["dust_tau = 0.5", "dust_tau = clear"]
    df = serial.frame
    for t in fig.data:
        tau = t.name.split(" = ")[1]
        sub = df[df["dust_tau"] == tau].sort_values("operations_min_elev_deg")
        assert list(t.x) == list(sub["operations_min_elev_deg"])
        assert list(t.y) == list(sub["relay_passes_used"])


def test_report_is_escaped_and_styled_like_the_mission_report(tmp_path):
    from pathlib import Path

    import areo
    from areo.report import sweep_page
    from areo.sweep import run_sweep_file

    path = write_sweep(tmp_path, stop=5)
    path.write_text(path.read_text().replace('name = "cheap trade"',
                                             'name = "<script>alert(1)</script> & co"'))
    r = run_sweep_file(path, out=tmp_path / "out", client="serial", pages=[sweep_page])
    page = (tmp_path / "out" / "sweep_report.html").read_text()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    css = (Path(areo.__file__).parent / "report" / "templates" / "report.css").read_text()
    assert css.strip() in page  # the mission report's stylesheet, as it is
    assert page.count('class="plotly-graph-div"') == 3 * 2  # 3 numeric outputs x 2 params
    assert pd.read_parquet(tmp_path / "out" / "results.parquet").equals(r.frame)
