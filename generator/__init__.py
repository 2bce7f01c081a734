"""cleansite: scraped cable pages in, a clean, cross-linked, searchable reading site out."""

__version__ = "0.1.0"
