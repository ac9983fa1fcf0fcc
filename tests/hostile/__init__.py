"""Helpers for tests/test_hostile_input.py: an HTML form reader (``html``), hostile values
and the hypothesis strategies built from them (``values``)."""
