"""What a user may see and do. The one place for role checks.

Views never test roles themselves; they ask ``user.access`` (an ``Access``,
computed once per request with a single query) or use the permission-aware
querysets built on it, such as ``Hub.objects.manageable_by(user)``.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from .constants import MFA_ROLES, Role


class Access:
    def __init__(self, user):
        self.user = user
        self._hubs_by_role: dict[str, set[int]] = defaultdict(set)
        self.roles: set[str] = set()
        if user.is_authenticated and user.is_active:
            for role, hub_id in user.role_assignments.values_list("role", "hub_id"):
                self.roles.add(role)
                if hub_id:
                    self._hubs_by_role[role].add(hub_id)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_coordinator(self) -> bool:
        return Role.COORDINATOR in self.roles

    @property
    def is_staff_member(self) -> bool:
        """Holds at least one role: may use the staff portal."""
        return bool(self.roles)

    @property
    def requires_mfa(self) -> bool:
        return bool(self.roles & MFA_ROLES)

    def hub_ids(self, role: str) -> set[int]:
        return set(self._hubs_by_role.get(role, ()))

    @cached_property
    def managed_hub_ids(self) -> set[int]:
        return self.hub_ids(Role.WIJKMANAGER)

    @cached_property
    def related_hub_ids(self) -> set[int]:
        """Every hub the user holds a hub role at."""
        ids: set[int] = set()
        for hub_ids in self._hubs_by_role.values():
            ids |= hub_ids
        return ids

    # --- hubs ---------------------------------------------------------------
    def can_manage_hubs(self) -> bool:
        """May open the hub management pages at all."""
        return self.is_coordinator or bool(self.managed_hub_ids)

    def can_manage_hub(self, hub) -> bool:
        """Edit the hub's details, schedule, closures and mobile stops."""
        return self.is_coordinator or hub.pk in self.managed_hub_ids

    def can_create_hubs(self) -> bool:
        return self.is_coordinator

    def can_manage_closing_days(self) -> bool:
        """The city-wide list of closing days and city-wide closures."""
        return self.is_coordinator

    def can_view_norm_report(self) -> bool:
        return self.can_manage_hubs()

    # --- accounts -------------------------------------------------------------
    def can_manage_users(self) -> bool:
        return self.is_coordinator

    # --- rostering ------------------------------------------------------------------
    def can_sign_up(self) -> bool:
        """Civil servants, KCC staff, hosts and managers take places in dagdelen."""
        return bool(self.roles & SIGNUP_ROLES)

    def can_view_coverage(self) -> bool:
        return self.can_manage_hubs()

    def can_mark_attendance(self, hub) -> bool:
        return self.can_manage_hub(hub) or hub.pk in self.hub_ids(Role.HOST)

    def can_manage_offers(self) -> bool:
        return self.is_coordinator

    def can_view_roster(self) -> bool:
        """The week grid: every staff role; a wijkraad member only sees the public hours."""
        return bool(self.roles - {Role.WIJKRAAD})

    def sees_all_handovers(self) -> bool:
        """Colleagues who can step in see every open hand-over request; a wijkmanager
        without such a role sees only those of their own hubs."""
        return self.is_coordinator or bool(self.roles & HANDOVER_TAKER_ROLES)

    # --- questions, callbacks, kennisbank ---------------------------------------------
    def desk_hub_ids(self) -> set[int] | None:
        """Hubs whose desk this user may log questions at; None means every hub."""
        if self.is_coordinator or Role.KCC in self.roles:
            return None
        return self.hub_ids(Role.HOST) | self.managed_hub_ids

    def can_use_desk(self, hub=None) -> bool:
        ids = self.desk_hub_ids()
        if hub is None:
            return ids is None or bool(ids)
        return ids is None or hub.pk in ids

    def can_view_question_list(self) -> bool:
        return self.is_coordinator or bool(self.managed_hub_ids)

    def can_edit_kennisbank(self) -> bool:
        return self.is_coordinator or Role.KCC in self.roles

    def can_use_kennisbank(self) -> bool:
        return self.can_edit_kennisbank() or self.can_use_desk() or self.can_sign_up()

    def can_manage_topics(self) -> bool:
        return self.is_coordinator

    def can_manage_teams(self) -> bool:
        return self.is_coordinator

    def can_manage_referrals(self) -> bool:
        return self.is_coordinator or bool(self.managed_hub_ids)

    def can_view_access_log(self) -> bool:
        return self.is_coordinator

    def can_view_audit_log(self) -> bool:
        return self.is_coordinator

    def can_handle_data_requests(self) -> bool:
        """Find, hand over and erase a resident's data on request (AVG art. 15/17)."""
        return self.is_coordinator

    # --- wijkraad proposals (per-proposal rules: proposals/rules.py) -------------------
    def can_view_proposals(self) -> bool:
        """The proposal list: wijkraad members, wijkmanagers and coordinators."""
        return (
            self.is_coordinator or bool(self.managed_hub_ids) or bool(self.hub_ids(Role.WIJKRAAD))
        )

    # --- reports ------------------------------------------------------------------------
    def can_view_reports(self) -> bool:
        """The report pages: wijkmanagers (their hubs, beside the city) and coordinators."""
        return self.is_coordinator or bool(self.managed_hub_ids)

    def can_view_report_for(self, hub_ids) -> bool:
        """``hub_ids`` None is the whole city: coordinators only. A wijkmanager sees a
        hub, or a gebied, when she manages every hub in it."""
        if self.is_coordinator:
            return True
        return hub_ids is not None and bool(hub_ids) and set(hub_ids) <= self.managed_hub_ids

    def can_view_week_summary(self) -> bool:
        """ "Mijn hub deze week": hosts, medewerkers and everyone else who works at hubs."""
        return bool(self.roles & WEEK_SUMMARY_ROLES)


WEEK_SUMMARY_ROLES = frozenset(
    {Role.HOST, Role.MEDEWERKER, Role.KCC, Role.WIJKMANAGER, Role.COORDINATOR}
)
SIGNUP_ROLES = frozenset({Role.MEDEWERKER, Role.KCC, Role.HOST, Role.WIJKMANAGER, Role.COORDINATOR})
HANDOVER_TAKER_ROLES = frozenset({Role.MEDEWERKER, Role.KCC, Role.HOST})
