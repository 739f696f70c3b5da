"""Comparison layer: editorial vs substantive text, alignment, lenses, scores, candidates, the
measures register and the cached analysis. Reads the ingest layer; never imports presentation."""
