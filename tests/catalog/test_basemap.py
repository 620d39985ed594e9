"""The shipped Mars basemap: where it came from, and that it sits where Mars is.

Oracle: the IAU Gazetteer of Planetary Nomenclature's centres of albedo features that any
Mars map shows (https://planetarynames.wr.usgs.gov): the bright floor of Hellas Planitia
(42.4 S, 70.5 E) and Arabia Terra (22.8 N, 5.0 E) against the dark Syrtis Major Planum
(8.4 N, 69.5 E) and Acidalia Planitia (46.7 N, 338.0 E). A map rolled by half a turn, or
flipped north-south, swaps bright and dark at these points.
"""

from __future__ import annotations

import numpy as np
import pytest

from areo import catalog
from areo.errors import UnknownEntryError

BRIGHT = {"Hellas Planitia": (-42.4, 70.5), "Arabia Terra": (22.8, 5.0)}
DARK = {"Syrtis Major Planum": (8.4, 69.5), "Acidalia Planitia": (46.7, 338.0)}


def brightness(pixels: np.ndarray, extent, lat: float, lon: float, box_deg: float = 4.0):
    west, east, south, north = extent
    rows, cols = pixels.shape[:2]
    r = (north - lat) / (north - south) * rows
    c = ((lon - west) % 360.0) / (east - west) * cols
    h = box_deg / (north - south) * rows
    w = box_deg / (east - west) * cols
    patch = pixels[int(r - h):int(r + h) + 1, int(c - w):int(c + w) + 1].astype(float)
    return float(patch.mean())


def test_albedo_features_where_the_gazetteer_puts_them():
    bm = catalog.basemap("mars")
    px = bm.pixels()
    assert px.shape == (256, 512, 3)
    bright = [brightness(px, bm.extent, *ll) for ll in BRIGHT.values()]
    dark = [brightness(px, bm.extent, *ll) for ll in DARK.values()]
    assert min(bright) > 1.25 * max(dark), (bright, dark)
    # the same test fails on the map rolled by 180 deg or flipped: it can tell
    rolled = np.roll(px, px.shape[1] // 2, axis=1)
    assert not min(brightness(rolled, bm.extent, *ll) for ll in BRIGHT.values()) > 1.25 * max(
        brightness(rolled, bm.extent, *ll) for ll in DARK.values())


def test_basemap_record_carries_source_licence_and_credit():
    bm = catalog.basemap()
    assert bm.extent == (0.0, 360.0, -90.0, 90.0)
    assert "NASA/JPL-Caltech" in bm.credit and "JPL image use policy" in bm.licence
    assert "stellarium-data" in bm.source and bm.data_uri().startswith("data:image/jpeg;base64,")
    assert len(bm.image) < 64 * 1024  # small, as package data should be
    assert repr(bm).startswith("Basemap: mars") and len(repr(bm)) < 200
    with pytest.raises(UnknownEntryError, match="no basemap for body 'venus'"):
        catalog.basemap("venus")


def test_groundtrack_figures_draw_it_with_the_credit():
    from areo.orbits import Orbit
    from areo.orbits.groundtrack import groundtrack, groundtrack_figure
    from areo.time import Time

    gt = groundtrack(Orbit.from_catalog("tgo"), Time("2030-01-01") + np.arange(0, 7200, 60.0))
    fig = groundtrack_figure([("tgo", gt.time.et, gt.lat_deg, gt.lon_east_deg)])
    (image,) = fig.layout.images
    assert (image.x, image.y, image.sizex, image.sizey) == (0.0, 90.0, 360.0, 180.0)
    assert image.layer == "below"
    assert any("NASA/JPL-Caltech" in a.text for a in fig.layout.annotations)
    mpl = gt.plot(None, sites=False)
    assert mpl.axes[0].images and "NASA/JPL-Caltech" in " ".join(
        t.get_text() for t in mpl.axes[0].texts)
