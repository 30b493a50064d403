"""Benchmarks of the map (``python -m bench``) and the browser helpers shared with the end-to-end test."""
