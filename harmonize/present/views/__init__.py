"""Pure functions that shape the harmonization results for the dashboard's pages, one module per
page: `explorer`, `compare`, `gaps`, `partners`, `measures`, `sources`; the Overview's numbers
in `shares` (its HTML is harmonize/present/overview.py); what every page shares (URL
parameters, natural order, labels, status marks and legend) in `common`; download files in
`files`.

No Streamlit here: every function takes plain data (the analysis, DataFrames, strings) and
returns DataFrames, plotly figures, HTML strings or bytes, so the pages stay thin and every
rule (search, filters, matrices, the diff rendering, the safe downloads) is unit-tested.
No function changes the frames it is given: the dashboard shares them between visitors.
"""
