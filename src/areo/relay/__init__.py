"""Relay planning: UHF proximity links from landers to orbiters, rates and data volumes,
and the second hop from orbiters to Earth.

``areo.relay.link`` holds the link budget (Eb/N0, free-space loss), the Proximity-1 rate
table, the radio profiles (``areo/catalog/data/radios.toml``) and the per-pass volume;
``areo.relay.earth`` the X-band contacts with ground stations, the conjunction moratorium
and the end-to-end latency::

    >>> from areo import relay
    >>> pair = relay.RadioPair("electra-lite", "electra")
    >>> float(pair.rate_bps(400.0, 60.0))
    1024000.0
"""

from __future__ import annotations

from areo.relay.earth import (
    MRO_LIKE_XBAND,
    Contacts,
    XBandLink,
    earth_contacts,
    next_contact_latency,
)
from areo.relay.link import (
    BOLTZMANN_DBW_K_HZ,
    CODING_REQUIRED_EBN0_DB,
    PROXIMITY1_RATES_BPS,
    PassLink,
    Radio,
    RadioPair,
    ebn0_db,
    free_space_loss_db,
    load_radios,
    pass_volume,
    pass_volumes,
    radio,
    radios,
)

__all__ = [
    "BOLTZMANN_DBW_K_HZ",
    "CODING_REQUIRED_EBN0_DB",
    "MRO_LIKE_XBAND",
    "PROXIMITY1_RATES_BPS",
    "Contacts",
    "PassLink",
    "Radio",
    "RadioPair",
    "XBandLink",
    "earth_contacts",
    "ebn0_db",
    "free_space_loss_db",
    "load_radios",
    "next_contact_latency",
    "pass_volume",
    "pass_volumes",
    "radio",
    "radios",
]
