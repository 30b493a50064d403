"""Streamlit rendering helpers of the Dezhou plan map (the app's wiring is streamlit_app.py)."""
