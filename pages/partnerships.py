"""Partnerships (the registry): every recorded partnership, filters, forms, CSV import and export."""

from dashboard.ui import partnerships_view

partnerships_view.page()
