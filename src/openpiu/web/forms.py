"""Reading the fields of filter forms as browsers send them."""

from __future__ import annotations

from datetime import date

from openpiu.errors import PiuError


def optional_date(value: str | None, field: str) -> date | None:
    """A date field of a filter form: an empty field (sent by every browser when
    left blank) means no filter, not an error."""
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PiuError(f"{field}: {value!r} is not a date like 2025-03-15", 422) from None
