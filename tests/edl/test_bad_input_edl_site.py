"""A catalog site on Earth (the sample-return capsule's UTTR) is not an EDL target on Mars."""

from __future__ import annotations

import pytest

from areo.errors import ParameterError


def test_an_earth_site_is_refused_naming_the_body():
    from areo import edl

    with pytest.raises(ParameterError, match=r"uttr.*Earth, not Mars"):
        edl.entry_from_site("m2020", "uttr", "2021-02-18T20:36:00")
