"""Ingest layer: snapshots, the store, refresh, bundles, version history and the shared
segmenter. Knows nothing of comparison or presentation, and no loader module: loaders are
handed in as a registry (`harmonize.ingest.registry.Registry`)."""
