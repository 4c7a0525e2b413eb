"""Yearly reporting: the figures (one module every report counts from), the yearly
summary's tables and XLSX, and the Home Affairs ministry's statistical forms as data
layouts. See ``docs/reports.md``."""
