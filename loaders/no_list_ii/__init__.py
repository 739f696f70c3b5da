"""Norway, List II (dual-use goods) of the export control regulation FOR-2013-06-19-718.

`meta` (the record), `parse` (the official English PDF), `fetch` (lovdata).
"""

from loaders.no_list_ii.meta import SOURCE

__all__ = ["SOURCE"]
