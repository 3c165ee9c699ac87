"""The role rules a document declares, in one object: where they are stated and where they hold.

LABELING.md: a declared first-listed rule (列第一位者为牵头单位 and its variants) holds from where it
is stated to the end of the document; stated outside any clause (a notice sentence, a table header)
it holds for the whole list. "无牵头单位的，责任单位即为牵头单位" makes the responsible units of a
clause without a lead its leads. Without either, explicit words decide and a plain list is joint.

>>> rules = RuleState()
>>> [rules.role("responsible", {"responsible"}, position, rules.clause(False)) for position in (0, 1)]
['joint', 'joint']
>>> first = rules.clause(True)  # "（责任单位：A、B，列第一位者为牵头单位）"
>>> [rules.role("responsible", {"responsible"}, position, rules.clause(False)) for position in (0, 1)]
['lead', 'support']
"""

from __future__ import annotations

from dataclasses import dataclass

from policykg.graph.model import Role
from policykg.loaders.clauses import GroupKind


@dataclass(slots=True)
class RuleState:
    """Rules in force while a document is read top to bottom."""

    stated_for_all: bool = False  # a first-listed rule stated outside the clauses: the whole list
    in_force: bool = False  # a first-listed rule stated in a clause read so far
    responsible_lead: bool = False  # where no lead is named, the responsible units lead

    def declare_for_all(self) -> None:
        self.stated_for_all = True

    def clause(self, states_rule: bool) -> bool:
        """Whether the first-listed rule governs the clause being read; a rule it states holds from
        this clause on."""
        if states_rule:
            self.in_force = True
        return self.in_force or self.stated_for_all

    def restart(self) -> None:
        """Read the clauses again from the top (the rules stated for the whole list stay)."""
        self.in_force = False

    def role(self, kind: GroupKind, kinds: set[GroupKind], position: int, first_listed: bool) -> Role:
        """The role of the unit at ``position`` of a clause whose groups are of ``kinds``."""
        if kind == "lead":
            return "lead"
        if kind == "support":
            return "support"
        if "lead" in kinds:
            return "support"  # every group beside a 牵头 one supports, whatever its verb
        if first_listed:
            return "lead" if position == 0 else "support"
        if "support" in kinds:
            return "lead"  # "A负责，B配合": the unit responsible beside a supporting one leads
        if self.responsible_lead:
            return "lead"
        return "joint"
