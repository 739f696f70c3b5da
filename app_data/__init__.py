"""What the dashboard's pages stand on, besides the pure views (harmonize.present.views).

- `cache`: the data boundary. Every list, analysis and table a page reads comes through its
  cached calls (no page parses a source); what they hand out is guarded against mutation.
- `selections`: what a page's filters select, worked out from small keys (a download's
  callable keeps those, not frames).
- `comparison`: the comparison every page shows (the reference list and date chosen in the
  header) and its cached data.
- `url_state`: widgets bound to query parameters, and links that carry the comparison along.
- `downloads`: the xlsx/csv buttons of a table and of the comparison workbook.
- `page`: the frame of every page (title, reference-list selector, nothing-loaded guidance,
  status legend).
- `routing`: makes every page run inside app.py's navigation (the `pages/` folder name would
  otherwise start Streamlit's legacy mode).

Nothing is re-exported here: a page imports the modules it uses.
"""
