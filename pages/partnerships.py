"""Partnerships (the registry): every recorded partnership, filters, forms, CSV import and export."""

from dashboard.ui import partnerships_view, registry_view

registry_view.run_page(partnerships_view.page)
