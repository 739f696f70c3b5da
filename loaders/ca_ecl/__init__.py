"""Canada: the Export Control List (SOR/89-202) and "A Guide to Canada's Export Control List".

`meta` (the record), `parse` (the regulation's Justice Canada XML, or the Guide's HTML),
`fetch` (Justice Canada).
"""

from loaders.ca_ecl.meta import SOURCE

__all__ = ["SOURCE"]
