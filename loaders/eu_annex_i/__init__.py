"""EU dual-use list: Regulation (EU) 2021/821, Annex I and Annex IV, from EUR-Lex.

`meta` (the record), `parse` (the consolidated HTML or the derived markdown), `pdf` (the
EUR-Lex PDFs of 2015-2022, older editions kept in the history), `fetch` (EUR-Lex).
"""

from loaders.eu_annex_i.meta import SOURCE

__all__ = ["SOURCE"]
