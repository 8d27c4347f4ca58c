"""The yardstick for the public view's speed: a bare Streamlit page with one
chart and one table, nothing else (see bench/browser_speed.py)."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

themes = ["Energia", "Liikenne", "Rakentaminen", "Kulutus", "Maankäyttö", "Yhteistyö"]
frame = pd.DataFrame({"theme": themes, "done": [3, 1, 2, 3, 1, 2], "total": [8, 8, 6, 6, 5, 5]})
st.plotly_chart(go.Figure(go.Bar(y=frame["theme"], x=frame["done"], orientation="h")), key="bare_chart")
st.table(frame)
