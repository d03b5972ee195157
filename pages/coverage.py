"""Coverage (state staff): every region x partnership sector of a state, verdicts beside recorded partnerships."""

from dashboard.ui import coverage_view, registry_view

registry_view.run_page(coverage_view.page)
