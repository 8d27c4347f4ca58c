"""What the app serves beside its Streamlit pages: HTTP routes (JSON, feeds,
static scripts, session hand-offs) and the middleware every response passes.

No Streamlit script code here: routes run in the server's thread pool, read
through tracker (named queries, write services) like pages do, and answer
plain HTTP. ``server.py`` assembles them into the one ``st.App``.
"""
