"""US Commerce Control List (15 CFR Part 774, Supplement No. 1), from the eCFR.

`meta` (the record: publisher, formats, licence, expected counts, refresh rule), `parse`
(eCFR XML or the eCFR-derived JSON to rows), `fetch` (the eCFR versioner).
"""

from loaders.us_ccl.meta import SOURCE

__all__ = ["SOURCE"]
