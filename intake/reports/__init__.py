"""The team's activity in figures, and how they are drawn: selectors over the data, SVG
charts and the map of France; no screen (``backoffice/reports.py`` and the public
statistics page show them)."""
