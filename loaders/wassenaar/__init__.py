"""Wassenaar Arrangement: the List of Dual-Use Goods and Technologies and the Munitions List.

`meta` (the record), `parse` (the single PDF of the current edition), `word` (the per-section
Word files of the editions 2012-2021, kept in the history), `fetch` (wassenaar.org).
"""

from loaders.wassenaar.meta import SOURCE

__all__ = ["SOURCE"]
