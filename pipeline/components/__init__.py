"""spaCy components of tradex; importing this package registers their factories."""

from pipeline.components import entities, quotes, sentences

__all__ = ["entities", "quotes", "sentences"]
