"""Climate-programme action tracker: domain and data layer (no Streamlit here)."""
