"""Number formatting and chart payloads the experiment pages share (registry pages and tools)."""

from __future__ import annotations

import math

# ------------------------------------------------------------------ number formatting

def _finite(value) -> float | None:
    """A finite number, or None for missing values (None, NaN, a template's Undefined)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def fmt_p(value) -> str:
    """p-values with 3 significant digits (0.0412, 1.23e-05)."""
    value = _finite(value)
    return "—" if value is None else f"{value:.3g}"


def fmt_effect(value, relative: bool) -> str:
    """A relative effect as a percent with 2 decimals, an absolute one with 4 significant digits."""
    value = _finite(value)
    if value is None:
        return "—"
    sign = "+" if value > 0 else ""
    return f"{sign}{value * 100:.2f}%" if relative else f"{sign}{value:.4g}"


def fmt_rate(value) -> str:
    value = _finite(value)
    return "—" if value is None else f"{value * 100:.1f}%"


def fmt_sig(value, digits: int = 4) -> str:
    value = _finite(value)
    return "—" if value is None else f"{value:.{digits}g}"


FORMATTERS = {"fmt_p": fmt_p, "fmt_effect": fmt_effect, "fmt_rate": fmt_rate, "fmt_sig": fmt_sig}


def interval_chart(rows: list[dict], relative: bool, inverse: bool = False) -> dict:
    """The data-intervals payload static/experiments.js draws (labels in the page's language)."""
    return {
        "rows": [{"label": r["label"], "effect": r.get("effect"), "ci_low": r.get("ci_low"), "ci_high": r.get("ci_high")}
                 for r in rows],
        "relative": relative, "inverse": inverse,
    }  # the template adds the labels in the page's language (experiments/_macros.html)
