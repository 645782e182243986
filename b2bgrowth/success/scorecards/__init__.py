"""Health scorecards (issue 4 item 4): definitions (`definition.py`), scoring (`scoring.py`), versions
(`versions.py`). See docs/customer-success.md. Nothing is imported here: `b2bgrowth success scorecard`
loads this package and must start quickly."""
