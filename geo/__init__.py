"""Data loading, schema, validation, CRS, joins and analysis for the Dezhou plan map (no Streamlit)."""
