"""Researcher analytics: agency workload and the coordination network, computed with networkx.

Everything starts from :class:`AssignmentTable`, the assignments read from either store
through catalogued queries; the metrics are plain functions over it.
"""

from policykg.analytics.table import AgencyInfo, AssignmentRow, AssignmentTable, read_table

__all__ = ["AgencyInfo", "AssignmentRow", "AssignmentTable", "read_table"]
