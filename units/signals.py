"""Signals the units app sends for apps above it (it never imports them)."""

from django.dispatch import Signal

# Sent after an import committed (``actor``, ``counts`` per sheet): its bulk writes bypass
# the model signals, so whoever keeps derived data (the awards app's standing verdicts)
# refreshes it from here, once per import rather than once per row.
facts_imported = Signal()
