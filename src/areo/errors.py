"""Errors raised by areo.

Every bad input raises a subclass of :class:`AreoInputError`, itself a ``ValueError``, whose
message names the input, the allowed range and how to fix it. The CLI turns these into one
line on stderr and exit code 2.
"""

from __future__ import annotations


class AreoError(Exception):
    """Base class of every areo error."""


class AreoInputError(AreoError, ValueError):
    """A bad input: the message names the input, the allowed range and the fix."""


class TimeFormatError(AreoInputError):
    """A time that cannot be read (malformed string, unsupported type, invalid date)."""


class EpochOutOfRangeError(AreoInputError):
    """An epoch outside the span covered by an ephemeris or a model."""


class UnknownBodyError(AreoInputError):
    """A body name or NAIF ID that the ephemeris or the catalog does not hold."""


class UnknownEntryError(AreoInputError):
    """A catalog entry (site, station, orbit, ...) that does not exist."""


class CoordinateRangeError(AreoInputError):
    """A coordinate outside its valid range (latitude outside [-90, 90], ...)."""


class ParameterError(AreoInputError):
    """A parameter outside its valid range (negative step, empty window, ...)."""


class CatalogFileError(AreoInputError):
    """A user catalog file that cannot be read or lacks required fields."""


class SpkFileError(AreoInputError):
    """An SPK file that cannot be opened or read (missing, not a DAF/SPK, corrupt segment)."""


class AreoWarning(UserWarning):
    """Base class of areo's warnings."""


class CoarseStepWarning(AreoWarning):
    """A search step longer than the shortest event the caller asked to be sure to find."""
