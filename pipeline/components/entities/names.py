"""Name shapes and clean-up shared by the entity passes."""

from __future__ import annotations

import re

# facts of a pack entry that are not copied to a mention's attrs
NOT_ATTRS = {"id", "name", "aliases", "case", "enabled", "note", "demonyms", "metonyms"}
MODEL_NUMBER = re.compile(r"^(?=[^\d]*\d)[A-Z]{1,4}-?\d{1,4}[A-Z]{0,3}\d?$")
NAME_TOKEN = re.compile(r"^[A-Z][\w'’.\-]*$")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}s?$")
DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'’/-]{1,40}(?:,\s*[A-Z][A-Za-z .'-]{1,30})?,\s+"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)\s*(?:\([^)\n]{1,40}\))?\s*[-–—]+"
    # modern wires often drop the date: "WASHINGTON (Reuters) -", "SEOUL —", "BERLIN/BEIJING, -"
    r"|^\s*[A-Z][A-Z'’/-]{2,}(?: [A-Z][A-Z'’/-]+){0,3}(?:,\s*[A-Z][A-Za-z .'-]{1,30})?,?\s*"
    r"(?:\([^)\n]{1,40}\)\s*)?[-–—]+\s"
)


def clean_name(text: str) -> str:
    text = re.sub(r"(['’]s)$", "", text.strip())
    return " ".join(text.split())


def clean_org(text: str) -> str:
    text = re.sub(r"^(the|The)\s+", "", text.strip())
    return clean_name(text)
