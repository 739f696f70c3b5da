"""Australia, Defence and Strategic Goods List 2024 (F2024L01024).

`meta` (the record), `parse` (the official DOCX: Part 2 dual-use, Part 1 munitions), `fetch`
(legislation.gov.au).
"""

from loaders.au_dsgl.meta import SOURCE

__all__ = ["SOURCE"]
