"""Publication dates to ISO 8601 (date only)."""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as dateparser

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def to_iso_date(value: object) -> str | None:
    """`'26-FEB-1987 15:51:51.24'` -> `'1987-02-26'`; None when it cannot be read as a date."""
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    if _ISO.match(s):
        return s
    try:
        dt: datetime = dateparser.parse(s, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        # Reuters writes fractional seconds after a dot: '15:51:51.24' parses, but some wires add zones.
        try:
            dt = dateparser.parse(s.split(" ")[0])
        except (ValueError, OverflowError, TypeError):
            return None
    return dt.date().isoformat()
