"""Export control harmonization core: model, segmentation, store, alignment. No Streamlit here."""

__version__ = "0.1.0"
