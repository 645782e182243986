"""Benchmark harness: `python -m bench [--sizes S,M,L] [--only NAME]` (see bench/results.md)."""
