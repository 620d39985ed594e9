"""The categories of rover activities (mobility, drilling, the analytical lab, remote
sensing, communications) and their colours, shared by the campaign's Open MCT plan and its
figures."""

from __future__ import annotations

__all__ = ["CATEGORY_COLORS", "activity_category", "category_color"]


#: Colours of the activity categories in plots and Open MCT plans (matplotlib's tab10).
CATEGORY_COLORS = {"Mobility": "#1f77b4", "Drilling": "#8c564b", "Analytical lab": "#d62728",
                   "Remote sensing": "#2ca02c", "Communications": "#9467bd"}


def category_color(category: str) -> str:
    """The colour of an activity category (grey for one not in :data:`CATEGORY_COLORS`)."""
    return CATEGORY_COLORS.get(category, "#888888")


def activity_category(name: str) -> str:
    """The category of a rover activity in plots and plans ('drive' -> 'Mobility')."""
    if name == "drive":
        return "Mobility"
    if name in ("drill", "sample_delivery"):
        return "Drilling"
    if name in ("crushing", "micromega", "rls", "moma_ldms", "moma_gcms", "moma_gcms_blank"):
        return "Analytical lab"
    if name == "relay_session":
        return "Communications"
    return "Remote sensing"
