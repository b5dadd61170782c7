"""Evaluation: gold loading, metrics, the PolNeAR reader, the baseline guard."""
