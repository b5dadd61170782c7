"""spaCy components of tradex; importing this package registers their factories."""

from pipeline.components import entities, measures, quotes, sentences

__all__ = ["entities", "measures", "quotes", "sentences"]
