"""Figures of the reports and how they are drawn: SVG charts and the map of France."""
