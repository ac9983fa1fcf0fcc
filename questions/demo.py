"""Demo data for the desk: the starting topics (MISSION.md) and a handful of referral
destinations. Idempotent, so ``seed_demo`` can run it again on a filled database.

The destinations' contact details are DEMO data: plausible, not checked with the
organisations.
"""

from __future__ import annotations

from .constants import STARTING_TOPICS, ReferralKind
from .models import ReferralTarget, Topic

DEMO_REFERRALS = [
    (
        "Vraagwijzer",
        ReferralKind.DEPARTMENT,
        "Demo: vraagwijzer in elk gebied, bel 14010 of loop binnen tijdens het spreekuur.",
    ),
    (
        "Woonstad Rotterdam",
        ReferralKind.PARTNER,
        "Demo: huurders van Woonstad, klantenservice via woonstadrotterdam.nl.",
    ),
    (
        "Havensteder",
        ReferralKind.PARTNER,
        "Demo: huurders van Havensteder, klantenservice via havensteder.nl.",
    ),
    (
        "Politie wijkagent",
        ReferralKind.PARTNER,
        "Demo: geen spoed: 0900-8844, of de wijkagent via politie.nl.",
    ),
    (
        "Schuldhulpverlening",
        ReferralKind.DEPARTMENT,
        "Demo: gemeente Rotterdam, aanmelden via 14010 of de vraagwijzer.",
    ),
    (
        "Jongerenloket",
        ReferralKind.DEPARTMENT,
        "Demo: voor jongeren tot 27 jaar, werk, school en inkomen.",
    ),
    (
        "Belastingdienst / BSD",
        ReferralKind.PARTNER,
        "Demo: Belastingdienst voor toeslagen; BSD (Belastingsamenwerking) voor gemeentelijke "
        "belastingen en kwijtschelding.",
    ),
    (
        "Buurtwerk",
        ReferralKind.PARTNER,
        "Demo: activiteiten en ondersteuning in de wijk, het buurthuis om de hoek.",
    ),
]


def seed_topics() -> tuple[int, int]:
    """Creates the missing starting topics and demo destinations.

    Returns (topics created, destinations created); existing ones are left as they are,
    so a coordinator's renames and reorderings survive a second run."""
    topics_created = 0
    for main_position, (main_name, subtopics) in enumerate(STARTING_TOPICS.items(), start=1):
        main, created = Topic.objects.get_or_create(
            name=main_name, parent=None, defaults={"position": main_position * 10}
        )
        topics_created += created
        for sub_position, sub_name in enumerate(subtopics, start=1):
            _sub, created = Topic.objects.get_or_create(
                name=sub_name, parent=main, defaults={"position": sub_position * 10}
            )
            topics_created += created
    targets_created = 0
    for name, kind, description in DEMO_REFERRALS:
        _target, created = ReferralTarget.objects.get_or_create(
            name=name, defaults={"kind": kind, "description": description, "all_hubs": True}
        )
        targets_created += created
    return topics_created, targets_created
