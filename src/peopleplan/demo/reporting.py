"""Reporting lines for the demo council: who manages each post on every day, and each spell in
post cut into assignments where its line manager changes.

The line manager of a post is the holder of the manager post of its unit (a manager post's own
holder looks to the unit above), and while that post is vacant, whoever manages the unit above,
and so on up to the top. The lines always run up the unit tree, so they cannot loop; agency
workers never hold manager posts, so every manager is an employee in post for the whole of the
assignment.
"""

from __future__ import annotations

import bisect

from peopleplan.demo.records import (
    AGENCY,
    INF,
    MIN,
    AssignmentPlan,
    PostPlan,
    SpellPlan,
    UnitPlan,
)

Piece = tuple[int, int, int | None]  # first day, last day, manager (a person's index)


class ReportingLines:
    def __init__(self, units: list[UnitPlan], posts: list[PostPlan], spells: list[SpellPlan]):
        self.units = units
        self.posts = posts
        self.spells = spells
        # The substantive holders of every manager post, in date order.
        self.holders: dict[int, list[tuple[int, int, int]]] = {}
        for spell in spells:
            post = posts[spell.post]
            if post.manages and spell.primary and spell.contract != AGENCY:
                end = INF if spell.end is None else spell.end
                self.holders.setdefault(spell.post, []).append((spell.start, end, spell.person))
        for intervals in self.holders.values():
            intervals.sort()
        self.timelines: dict[int | None, tuple[list[int], list[Piece]]] = {
            None: ([MIN], [(MIN, INF, None)])  # above the top: no one
        }

    def assignments(self, today: int) -> list[AssignmentPlan]:
        """Every spell cut into assignments where its line manager changes. A fixed-term
        contract still running keeps its planned end on its last assignment."""
        result: list[AssignmentPlan] = []
        for spell in self.spells:
            post = self.posts[spell.post]
            unit = self.units[post.unit].parent if post.manages else post.unit
            end = INF if spell.end is None else spell.end
            pieces = self.pieces(unit, spell.start, end, spell.person)
            for number, (start, stop, manager) in enumerate(pieces):
                if stop == INF:
                    stop = None
                    if number == len(pieces) - 1 and spell.contract_end and not post.manages:
                        stop = spell.contract_end if spell.contract_end > today else None
                result.append(
                    AssignmentPlan(
                        person=spell.person,
                        post=spell.post,
                        start=start,
                        end=stop,
                        contract=spell.contract,
                        fte=spell.fte,
                        manager=manager,
                        primary=spell.primary,
                    )
                )
        return result

    def pieces(self, unit: int | None, start: int, end: int, person: int) -> list[Piece]:
        """The managers of someone placed in `unit` from `start` to `end`."""
        starts, timeline = self.timeline(unit)
        pieces: list[Piece] = []
        i = bisect.bisect_right(starts, start) - 1
        while i < len(timeline) and timeline[i][0] <= end:
            s, e, manager = timeline[i]
            s, e = max(s, start), min(e, end)
            if manager == person:  # never one's own manager: the unit above manages
                pieces.extend(self.pieces(self.units[unit].parent, s, e, person))
            elif pieces and pieces[-1][2] == manager:
                pieces[-1] = (pieces[-1][0], e, manager)
            else:
                pieces.append((s, e, manager))
            i += 1
        return pieces

    def timeline(self, unit: int | None) -> tuple[list[int], list[Piece]]:
        """Who manages the people placed in a unit on every day: its manager post's holder,
        and while that is vacant, whoever manages the unit above. (The pieces' first days,
        for bisecting, and the pieces.)"""
        if unit in self.timelines:
            return self.timelines[unit]
        parent_starts, parent = self.timeline(self.units[unit].parent)
        own = self.holders.get(self.units[unit].manager_post, [])
        pieces: list[Piece] = []

        def add(s: int, e: int, who: int | None) -> None:
            if pieces and pieces[-1][2] == who and pieces[-1][1] == s - 1:
                pieces[-1] = (pieces[-1][0], e, who)
            else:
                pieces.append((s, e, who))

        def fill_gap(s: int, e: int) -> None:
            i = bisect.bisect_right(parent_starts, s) - 1
            while i < len(parent) and parent[i][0] <= e:
                ps, pe, who = parent[i]
                add(max(ps, s), min(pe, e), who)
                i += 1

        cursor = MIN
        for s, e, who in own:
            if s > cursor:
                fill_gap(cursor, s - 1)
            add(s, e, who)
            cursor = e + 1
        if cursor <= INF:
            fill_gap(cursor, INF)
        result = ([p[0] for p in pieces], pieces)
        self.timelines[unit] = result
        return result
