"""UK Strategic Export Control List (the consolidated PDF of the Export Control Joint Unit).

`meta` (the record), `parse` (the PDF: the dual-use list with the national PL entries, its
Annex IV, the Military List), `fetch` (GOV.UK).
"""

from loaders.uk_sel.meta import SOURCE

__all__ = ["SOURCE"]
