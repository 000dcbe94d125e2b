"""The figures of the team's activity reports and of the public statistics: selectors over
the data, no screen (``backoffice/reports.py`` shows them)."""
