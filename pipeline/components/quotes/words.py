"""The quote stage's marks, tags and patterns (the word lists are data: `pipeline/rules/lexicon/quotes.json`)."""

from __future__ import annotations

import re

CLAUSE_START = {"that"}
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
LEADING_TIME = re.compile(
    rf"^(?:(?:on )?(?:{WEEKDAYS})|yesterday|today|tonight|earlier|later|(?:last|this|next) (?:week|month|year)"
    r"|in an? (?:statement|interview))(?: ,)? "
)
DATELINE_PLACE = re.compile(r"^\s*([A-Z][A-Z .'’-]{1,40})(?:,\s*([A-Z][A-Za-z .'-]{1,30}))?,\s+[A-Z0-9]")
# Penn tags of adverbs, modals and particles that may stand between a speaker and the cue ("has also said")
ADVERB_AUX_TAGS = {"RB", "RBR", "RBS", "MD", "RP", "TO"}
DATELINE = re.compile(
    r"^[A-Z][A-Z .,'/-]{2,40},\s+(?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]+)?\s*(?:\([A-Za-z ]+\))?\s*[-–—]+\s*"
)
DETERMINERS = {"a", "an", "the"}
# relative pronouns that open a clause describing the name before them (“X, who runs a steel mill, said”)
RELATIVE_OPENERS = frozenset({"who", "whose"})
# words that open a role or nominal phrase: “a spokesperson”, “the company”, “one official”
PHRASE_OPENERS = {"a", "an", "the", "one"}
# the small words a title-case heading keeps in lower case
TITLE_SMALL_WORDS = {"of", "the", "and", "in", "on", "for", "a", "an", "to", "at", "by"}
# closing marks a reported clause may end with
CLOSING_MARKS = {'"', "”", "’", "'", "»"}
# marks skipped after the comma of a trailing attribution (“…,” according to X)
TRIM_MARKS = {'"', "”", "’", "'", "»", "“"}
NOUN_TAGS = {"NNS", "NN", "NNP", "NNPS"}
# Penn tags of a finite verb or modal: a that-less reported clause has one
FINITE_TAGS = {"MD", "VBD", "VBP", "VBZ"}
# “The warning came from X” after a quote
NEXT_SENTENCE = re.compile(
    r"\s*(?:The|Those|These|That|This) (?:warning|remarks?|comments?|words|message|statement|"
    r"criticism|assessment|threat|pledge)s? (?:came|come|was|were) (?:from) "
)
