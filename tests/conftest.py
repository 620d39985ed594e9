"""Shared fixtures: SPICE loaded with NAIF/JPL kernels as an independent oracle."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spice():
    """spiceypy with the LSK, DE440, a Mars IAU 2015 PCK and a 499 SPK loaded."""
    spiceypy = pytest.importorskip("spiceypy")
    from tests.spice_kernels import load_standard_kernels

    load_standard_kernels("iau2015")
    yield spiceypy
    spiceypy.kclear()


# ----------------------------------------------------------------------------- browser
def _skip(reason: str) -> None:
    """Skip, unless the run must exercise the browser (``.ci/run`` sets
    AREO_REQUIRE_BROWSER=1 once Chromium is installed): then fail."""
    import os

    if os.environ.get("AREO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"AREO_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _find(*names: str) -> str | None:
    import shutil

    for n in names:
        path = shutil.which(n)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Headless Chromium through selenium (tests marked ``browser``); its console log is
    kept (``browser.get_log("browser")``)."""
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
