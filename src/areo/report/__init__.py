"""Reports (interfaces layer): the mission report, one self-contained HTML page.

>>> from areo.report import mission_page
>>> # run_mission(scenario, out, pages=[mission_page]) adds report.html, as `areo mission` does

- :mod:`areo.report.figures`: one plotly figure function per product (porkchop, transfer,
  ground tracks, relay week, relay per sol, rover campaign, battery) and
  :func:`build_figures`;
- :mod:`areo.report.sweep_page`: :func:`sweep_page`, the sweep's report (``areo sweep``);
- :mod:`areo.report.page`: :func:`render_html`, the page from the packaged Jinja2 template
  ``templates/mission.html.j2`` (autoescaped; CSS and plotly.js inlined, no network), and
  :func:`write_report`, which builds the figures and writes the page atomically.
"""

from areo.report.figures import build_figures
from areo.report.page import mission_page, render_html, write_report
from areo.report.sweep_page import sweep_page

__all__ = ["build_figures", "mission_page", "render_html", "sweep_page", "write_report"]
