"""Keyset ("seek") pagination shared by the long lists.

Long lists never COUNT the table: a page is the first PAGE_SIZE rows after the last
row of the previous page in a fixed order (key, pk), and one extra row tells whether
there is a next page. The cursor in the address is "<key>_<pk>".
"""

import datetime as dt

from django.db import models
from django.db.models import Q

PAGE_SIZE = 50

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def _is_datetime(queryset, key: str) -> bool:
    return isinstance(queryset.model._meta.get_field(key), models.DateTimeField)


def _encode_cursor(value, pk: int) -> str:
    if isinstance(value, dt.datetime):
        # Integer microseconds: exact, and nothing in it needs escaping in an address.
        return f"{(value - _EPOCH) // _MICROSECOND}_{pk}"
    return f"{value.isoformat()}_{pk}"


def _decode_cursor(text: str | None, *, is_datetime: bool):
    """``(key value, pk)``, or None for a missing or forged cursor (first page)."""
    if not text:
        return None
    try:
        raw, pk = text.rsplit("_", 1)
        value = _EPOCH + int(raw) * _MICROSECOND if is_datetime else dt.date.fromisoformat(raw)
        pk = int(pk)
        if not 0 < pk < 2**63:  # beyond a database integer: a forged cursor
            return None
        return value, pk
    except (ValueError, OverflowError):
        return None


def seek(queryset, *, key: str, cursor: str | None, descending: bool, size: int = PAGE_SIZE):
    """One page of ``queryset`` ordered by (key, pk): ``(rows, next cursor or None)``."""
    direction = "lt" if descending else "gt"
    sign = "-" if descending else ""
    queryset = queryset.order_by(f"{sign}{key}", f"{sign}pk")
    position = _decode_cursor(cursor, is_datetime=_is_datetime(queryset, key))
    if position is not None:
        value, pk = position
        queryset = queryset.filter(
            Q(**{f"{key}__{direction}": value}) | Q(**{key: value, f"pk__{direction}": pk})
        )
    rows = list(queryset[: size + 1])
    if len(rows) > size:
        last = rows[size - 1]
        return rows[:size], _encode_cursor(getattr(last, key), last.pk)
    return rows, None
