"""What the database must show after seeding and after the load tests: no shift
overbooked, every ``confirmed_count`` equal to its confirmed sign-ups, nobody with two
places in one dagdeel. Plain SQL over whole tables, so it costs one scan each."""

from __future__ import annotations

from django.db import connection

from scheduling.constants import SignUpStatus


def roster_problems(shift_ids: list[int] | None = None) -> dict[str, int]:
    """Counts of broken rules; all zero when the roster is sound. ``shift_ids`` limits
    the first two checks to those shifts (the load test's)."""
    only = ""
    params: list = [SignUpStatus.CONFIRMED]
    if shift_ids is not None:
        only = "AND s.id = ANY(%s)"
        params.append(list(shift_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT
              COUNT(*) FILTER (WHERE c.confirmed > s.max_staff),
              COUNT(*) FILTER (WHERE c.confirmed <> s.confirmed_count),
              COUNT(*) FILTER (WHERE s.confirmed_count > s.max_staff)
            FROM scheduling_shift s
            CROSS JOIN LATERAL (
              SELECT COUNT(*) AS confirmed FROM scheduling_signup u
              WHERE u.shift_id = s.id AND u.status = %s
            ) c
            WHERE TRUE {only}
            """,
            params,
        )
        overbooked, count_mismatch, count_over_max = cursor.fetchone()
        cursor.execute(
            """
            SELECT COUNT(*) FROM (
              SELECT user_id FROM scheduling_signup WHERE status = %s
              GROUP BY user_id, date, dagdeel HAVING COUNT(*) > 1
            ) doubles
            """,
            [SignUpStatus.CONFIRMED],
        )
        (double_places,) = cursor.fetchone()
    return {
        "overbooked_shifts": overbooked,
        "confirmed_count_mismatches": count_mismatch,
        "confirmed_count_over_max": count_over_max,
        "people_with_two_places_in_a_dagdeel": double_places,
    }
