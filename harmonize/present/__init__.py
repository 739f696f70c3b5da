"""Presentation layer (still Streamlit-free): page data shaping, HTML tables, the Overview's
blocks, workbook and CSV export, and the server launch."""
