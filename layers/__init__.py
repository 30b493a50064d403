"""Folium layers built from the data of :mod:`geo` (one module per layer family)."""
