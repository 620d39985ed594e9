"""Shared runs of the mission chain: a short version of the ExoMars 2028 example, run once.

The short scenario is ``examples/exomars-2028.toml`` with 20 sols of operations, one
Experiment Cycle, a 60 x 60 porkchop and one sol of OEM ephemerides: the same chain and the
same transfer spans as ``make demo`` in a few seconds.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.mission.helpers import short_exomars_text


@pytest.fixture(scope="session")
def short_run(tmp_path_factory):
    """One cold run of the short ExoMars scenario (its own cache directory)."""
    from areo.mission import run_mission

    root = tmp_path_factory.mktemp("mission")
    scenario = root / "exomars-short.toml"
    scenario.write_text(short_exomars_text())
    out = root / "out"
    events = []
    t0 = time.perf_counter()
    result = run_mission(scenario, out, cache_dir=root / "cache", progress=events.append)
    seconds = time.perf_counter() - t0
    return SimpleNamespace(root=root, scenario=scenario, out=out, result=result,
                           seconds=seconds, cache=root / "cache", events=events)


@pytest.fixture(scope="session")
def pykep_lambert():
    """pykep's Lambert solver (pykep 3.0.1 needs heyoka loaded globally before its core
    extension, and its package __init__ fails on a missing data file)."""
    pytest.importorskip("heyoka")
    spec = importlib.util.find_spec("pykep")
    if spec is None or spec.origin is None:
        pytest.skip("pykep is not installed")
    folder = Path(spec.origin).parent
    ext = sorted(folder.glob("core.*.so"))
    if not ext:
        pytest.skip("pykep's compiled core is missing")
    old = sys.getdlopenflags()
    sys.setdlopenflags(old | os.RTLD_GLOBAL)
    try:
        loader = importlib.util.spec_from_file_location("pykep.core", ext[0])
        module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(module)
    finally:
        sys.setdlopenflags(old)
    return module.lambert_problem


# ----------------------------------------------------------------------------- browser
def _skip(reason: str) -> None:
    """Skip, unless the run must exercise the browser (``.ci/run`` sets
    AREO_REQUIRE_BROWSER=1 once Chromium is installed): then fail."""
    if os.environ.get("AREO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"AREO_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _find(*names: str) -> str | None:
    for n in names:
        path = shutil.which(n)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chrome = _find("chromium", "chromium-browser", "google-chrome")
    driver_path = _find("chromedriver")
    if chrome is None or driver_path is None:
        _skip("no chromium/chromedriver (Debian: apt-get install chromium chromium-driver)")
    opts = Options()
    opts.binary_location = chrome
    # The background-networking flags keep Chromium from dialling out (closed networks
    # refuse the connections and the driver stalls).
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    except Exception as exc:  # a browser that cannot start here is not a report failure
        _skip(f"headless chromium does not start here: {str(exc).splitlines()[0]}")
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


