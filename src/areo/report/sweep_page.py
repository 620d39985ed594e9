"""The sweep report: ``sweep_report.html`` beside a sweep's results.

One self-contained page in the mission report's style: the same stylesheet
(``areo/report/templates/report.css``, included from the report package's templates, not
copied), plotly.js inlined, and the trade figures of :mod:`areo.sweep.result` (every
numeric output against every varied parameter). Jinja2 escapes every text it is given
(``autoescape=True``): names, values and error messages from sweep and scenario files
reach the page as text. Only the CSS, plotly.js and plotly's figure divs go in with
``|safe`` (the figure functions escape the text inside the figures).

It sits with the interfaces (a page writer the CLI hands to
:func:`areo.sweep.run_sweep_file`, as the mission's page is) because it uses the report
package's templates; it belongs in :mod:`areo.report` beside ``mission_page``.
"""

from __future__ import annotations

import datetime as _dt
import functools
from pathlib import Path
from typing import Any

__all__ = ["render_sweep_html", "sweep_page"]

TEMPLATE = """\
{#- The sweep report (areo.cli.sweep_page). Autoescaped: every {{ value }} is escaped. -#}
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ name }}: areo sweep report</title>
<style>
{% include "report.css" %}
</style>
<script type="text/javascript">{{ plotlyjs|safe }}</script>
</head><body>
<header><h1>{{ name }}</h1>
<p>Sweep of <code>{{ base }}</code> · {{ method }} over {{ parameters|join(", ") }}</p>
<div class="facts">
{% for value, label in facts %}
<div class="fact"><b>{{ value }}</b><span>{{ label }}</span></div>
{% endfor %}
</div>
{% if n_failed %}
<p class="warning" role="alert"><b>{{ n_failed }} variant{{ "s" if n_failed != 1 }} failed.</b>
Their errors are listed below and in the manifest; the figures show the others.</p>
{% endif %}
</header>
<nav>
<a href="#variants">Variants</a>
{% for s in sections %}<a href="#{{ s.id }}">{{ s.title }}</a>
{% endfor %}
{% if failed %}<a href="#failed">Failed</a>{% endif %}
</nav>
<main>
<section id="variants"><h2>Variants</h2>
<p class="note">One row per variant (first {{ rows|length }} of {{ n_total }}); the full
table is <a href="./results.parquet">results.parquet</a>, the record of each run
<a href="./manifest.jsonl">manifest.jsonl</a>.</p>
<div style="overflow-x:auto"><table class="kv"><thead><tr>
{% for c in columns %}<th>{{ c }}</th>{% endfor %}
</tr></thead><tbody>
{% for row in rows %}<tr>{% for v in row %}<td class="num">{{ v }}</td>{% endfor %}</tr>
{% endfor %}
</tbody></table></div>
</section>
{% for s in sections %}
<section id="{{ s.id }}"><h2>{{ s.title }}</h2>
{{ s.div|safe }}
</section>
{% endfor %}
{% if failed %}
<section id="failed"><h2>Failed variants</h2>
<table class="kv"><thead><tr><th>variant</th><th>error</th></tr></thead><tbody>
{% for v, e in failed %}<tr><th>{{ v }}</th><td class="txt">{{ e }}</td></tr>
{% endfor %}
</tbody></table>
</section>
{% endif %}
</main>
<footer>areo {{ areo_version }} · generated {{ generated }}</footer>
</body></html>
"""

#: Rows of the variants table shown on the page (the Parquet file has them all).
MAX_ROWS = 200


@functools.cache
def _environment() -> Any:
    import jinja2

    from areo.report.page import environment

    # Our template first, then the mission report's (for report.css): one stylesheet.
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.DictLoader({"sweep.html.j2": TEMPLATE}),
                                    environment().loader]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return "" if v != v else f"{v:.6g}"
    return str(v)


def render_sweep_html(result: Any) -> str:
    """The page of a :class:`areo.sweep.SweepResult`."""
    from plotly.offline import get_plotlyjs

    from areo import __version__
    from areo.sweep.result import trade_figures

    config = {"displaylogo": False, "responsive": True,
              "toImageButtonOptions": {"format": "png", "scale": 2}}
    figures = trade_figures(result) if result.n_ok else {}
    sections = [{"id": f"fig-{k}", "title": k.replace("--", " vs "),
                 "div": fig.to_html(full_html=False, include_plotlyjs=False,
                                    div_id=f"plot-{k}", config=config,
                                    default_width="100%")}
                for k, fig in figures.items()]
    frame = result.frame
    shown = [c for c in frame.columns if c not in ("seed", "error")]
    rows = [[_cell(v) for v in r] for r in frame[shown].head(MAX_ROWS).itertuples(
        index=False, name=None)]
    failed = [(str(v), str(e)) for v, e in zip(result.failed["variant"],
                                               result.failed["error"], strict=True)]
    facts = [(str(len(result)), "variants"), (str(result.n_ok), "ok"),
             (str(result.n_failed), "failed"), (f"{result.runtime_s:.1f} s", "this run"),
             (str(result.skipped), "from an earlier run")]
    return _environment().get_template("sweep.html.j2").render(
        name=result.name, base=result.base, method=result.method,
        parameters=result.parameters, facts=facts, n_failed=result.n_failed,
        n_total=len(result), columns=shown, rows=rows, sections=sections, failed=failed,
        areo_version=__version__, plotlyjs=get_plotlyjs(),
        generated=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))


def sweep_page(result: Any) -> str:
    """The page writer of :func:`areo.sweep.run_sweep_file` (``pages=[sweep_page]``):
    writes ``sweep_report.html`` into the sweep's directory; returns its name."""
    from areo._files import atomic_write

    path = Path(result.out_dir) / "sweep_report.html"
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(render_sweep_html(result))
    return path.name
