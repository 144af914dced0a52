"""Which archives to keep: the newest in each of the last N days, weeks and months
(grandfather-father-son, as restic's ``forget --keep-daily/weekly/monthly`` reads it).

Pure: timestamps in, timestamps to keep out; the time zone that decides where a day starts is
passed in. The newest archive is always kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable


def _buckets(
    stamps: list[dt.datetime], count: int, bucket: Callable[[dt.datetime], object]
) -> set[dt.datetime]:
    kept: set[dt.datetime] = set()
    seen: set[object] = set()
    for stamp in stamps:  # newest first
        key = bucket(stamp)
        if key in seen:
            continue
        if len(seen) >= count:
            break
        seen.add(key)
        kept.add(stamp)
    return kept


def keep(
    stamps: Iterable[dt.datetime], *, daily: int, weekly: int, monthly: int, tz: dt.tzinfo
) -> set[dt.datetime]:
    ordered = sorted(stamps, reverse=True)
    if not ordered:
        return set()

    def local(s: dt.datetime) -> dt.date:
        return s.astimezone(tz).date()

    kept = {ordered[0]}
    kept |= _buckets(ordered, daily, local)
    kept |= _buckets(ordered, weekly, lambda s: local(s).isocalendar()[:2])
    kept |= _buckets(ordered, monthly, lambda s: (local(s).year, local(s).month))
    return kept
