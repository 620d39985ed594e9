"""Surface operations: solar energy and dust (environment), rover power and sol planning."""

from areo.surface.environment import (
    Cleaning,
    ConstantTau,
    DailyInsolation,
    DustModel,
    DustStormTau,
    Irradiance,
    SeasonalTau,
    daily_insolation,
    daily_insolation_at,
    irradiance_at,
    net_flux_function,
    solar_zenith_ls,
    surface_irradiance,
    tilted_irradiance,
    toa_irradiance,
    toa_irradiance_ls,
)

__all__ = [
    "Cleaning",
    "ConstantTau",
    "DailyInsolation",
    "DustModel",
    "DustStormTau",
    "Irradiance",
    "SeasonalTau",
    "daily_insolation",
    "daily_insolation_at",
    "irradiance_at",
    "net_flux_function",
    "solar_zenith_ls",
    "surface_irradiance",
    "tilted_irradiance",
    "toa_irradiance",
    "toa_irradiance_ls",
]
