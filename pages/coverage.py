"""Coverage (state staff): every region x partnership sector of a state, verdicts beside recorded partnerships."""

from dashboard.ui import coverage_view

coverage_view.page()
