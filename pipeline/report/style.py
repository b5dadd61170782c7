"""Colours of the report: one place for the legend, the CSS classes and the charts.

Each label has a light background (dark text on it stays readable: contrast above 7:1 with #111) and a
strong border/chart colour.
"""

from __future__ import annotations

LABEL_COLOURS: dict[str, tuple[str, str]] = {
    "COMPANY": ("#dbeafe", "#1d4ed8"),
    "CHIP": ("#ede9fe", "#6d28d9"),
    "OFFICIAL": ("#fee2e2", "#b91c1c"),
    "PERSON": ("#fce7f3", "#be185d"),
    "MATERIAL": ("#dcfce7", "#15803d"),
    "COUNTRY": ("#fef3c7", "#b45309"),
    "AGENCY": ("#cffafe", "#0e7490"),
    "MEDIA": ("#e5e7eb", "#4b5563"),
    "POLICY": ("#ffedd5", "#c2410c"),
}
QUOTE_COLOURS: dict[str, str] = {
    "direct": "#047857",
    "partial": "#7c3aed",
    "mixed": "#b45309",
    "indirect": "#475569",
}
_MEASURE_PALETTE = ["#dc2626", "#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777",
                    "#4f46e5", "#65a30d", "#0d9488", "#b91c1c", "#7c2d12", "#334155"]
MEASURE_TYPES = ["import_tariff", "trade_defence", "export_control", "export_ban", "import_restriction",
                 "entity_listing", "sanction", "licence_decision", "investigation", "investment_measure", "subsidy",
                 "procurement_restriction", "agreement", "negotiation"]


def measure_colour(mtype: str) -> str:
    if mtype in MEASURE_TYPES:
        return _MEASURE_PALETTE[MEASURE_TYPES.index(mtype)]
    return "#6b7280"


def label_css() -> str:
    """CSS rules for the label and quote-kind classes (written into the site's stylesheet)."""
    rules = []
    for label, (bg, fg) in LABEL_COLOURS.items():
        rules.append(f".mention.l-{label}, .swatch.l-{label} {{ background: {bg}; border-color: {fg}; }}")
    for kind, colour in QUOTE_COLOURS.items():
        rules.append(f".quote.k-{kind} {{ border-bottom-color: {colour}; }}")
        rules.append(f".badge.k-{kind}, .swatch.k-{kind} {{ background: {colour}; }}")
    return "\n".join(rules) + "\n"
