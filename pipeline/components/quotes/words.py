"""Word lists and patterns of the quote stage (what may stand between a cue and its clause, time words,
datelines, recipients, platforms)."""

from __future__ import annotations

import re

PERSONAL = {"he": "m", "she": "f", "him": "m", "her": "f"}
PLURAL_OR_ORG = {"they", "it", "we"}
WEEKDAY_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# words that may stand between a cue and its "that": recipients, times, settings, adverbs
BEFORE_THAT = WEEKDAY_WORDS | {
    "on",
    "last",
    "this",
    "next",
    "week",
    "month",
    "year",
    "night",
    "morning",
    "in",
    "at",
    "during",
    "a",
    "an",
    "the",
    "statement",
    "interview",
    "briefing",
    "conference",
    "news",
    "press",
    "speech",
    "letter",
    "reporters",
    "journalists",
    "him",
    "her",
    "them",
    "us",
    "me",
    "also",
    "again",
    "repeatedly",
    "earlier",
    "later",
    "today",
    "yesterday",
    "recently",
    "publicly",
    "privately",
    "separately",
    "previously",
    "often",
    "has",
    "have",
    "had",
}
SKIP_BETWEEN = WEEKDAY_WORDS | {
    "also",
    "later",
    "further",
    "then",
    "previously",
    "earlier",
    "again",
    "has",
    "have",
    "had",
    "would",
    "will",
    "once",
    "recently",
    "repeatedly",
    "separately",
    "publicly",
    "privately",
    "reportedly",
    "last",
    "week",
    "on",
    "yesterday",
    "today",
    "quickly",
    "flatly",
    "bluntly",
    "simply",
    "only",
    "just",
    "however",
    "meanwhile",
    "been",
    "is",
    "was",
    "were",
    "are",
    "did",
    "does",
    "do",
    "not",
    "n't",
    "never",
    "subsequently",
    "first",
    "in",
    "an",
    "a",
    "the",
    "interview",
    "statement",
}
CLAUSE_START = {"that"}
CHANNEL_TRIGGERS = {"told", "telling", "tells", "tell", "in", "at", "during", "on", "according", "reported"}
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
LEADING_TIME = re.compile(
    rf"^(?:(?:on )?(?:{WEEKDAYS})|yesterday|today|tonight|earlier|later|(?:last|this|next) (?:week|month|year)"
    r"|in an? (?:statement|interview))(?: ,)? "
)
# “that same day”, “that week”: a determiner, not the start of a reported clause
NOT_AFTER_THAT = {"same", "day", "week", "month", "year", "time", "night", "morning", "evening", "is", "was", ",", "."}
DATELINE_PLACE = re.compile(r"^\s*([A-Z][A-Z .'’-]{1,40})(?:,\s*([A-Z][A-Za-z .'-]{1,30}))?,\s+[A-Z0-9]")
# Penn tags of adverbs, modals and particles that may stand between a speaker and the cue ("has also said")
ADVERB_AUX_TAGS = {"RB", "RBR", "RBS", "MD", "RP", "TO"}
DATELINE = re.compile(
    r"^[A-Z][A-Z .,'/-]{2,40},\s+(?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]+)?\s*(?:\([A-Za-z ]+\))?\s*[-–—]+\s*"
)
CLAUSE_BREAKS = {
    "and",
    "but",
    "or",
    "while",
    "which",
    "who",
    "that",
    "because",
    "after",
    "before",
    "when",
    "as",
    "if",
    "although",
    "though",
    "where",
    "so",
}
SUBJECT_WORDS = {"he", "she", "it", "they", "we", "i", "you", "the", "this", "these", "those", "china", "beijing"}
DETERMINERS = {"a", "an", "the"}
# words that open a role or nominal phrase: “a spokesperson”, “the company”, “one official”
PHRASE_OPENERS = {"a", "an", "the", "one"}
HONORIFICS = {"mr.", "ms.", "mrs.", "dr."}
# “a spokesperson for Huawei”, “an analyst at Nomura”
ROLE_LINKS = {"for", "at", "of", "with"}
# numbers of people before an anonymous source (“two people familiar with …”)
SOURCE_COUNTS = {"several", "some", "three", "two"}
# the small words a title-case heading keeps in lower case
TITLE_SMALL_WORDS = {"of", "the", "and", "in", "on", "for", "a", "an", "to", "at", "by"}
# verbs the lexicon lists by their lemma that are cues even without a tagger (“note”, “report” are not)
UNTAGGED_LEMMA_CUES = ("say", "tell", "add", "warn", "insist")
# what may stand between a cue and an opening mark besides a media outlet (“told reporters on Tuesday: “…””)
RECIPIENT_WORDS = WEEKDAY_WORDS | {
    "reporters",
    "journalists",
    "him",
    "her",
    "them",
    "me",
    "us",
    "on",
    "simply",
    "only",
    "again",
}
# skipped after a cue before its speaker (“said on Tuesday X”)
AFTER_CUE_SKIP = WEEKDAY_WORDS | {"on", "also", "then", "later"}
# auxiliaries before a participle that keep its own subject (“is saying”, “was telling”)
PROGRESSIVE_AUX = {"is", "was", "are", "were", "been", "be", "am", "'s", "’s"}
# closing marks a reported clause may end with
CLOSING_MARKS = {'"', "”", "’", "'", "»"}
# marks skipped after the comma of a trailing attribution (“…,” according to X)
TRIM_MARKS = {'"', "”", "’", "'", "»", "“"}
# two words after a comma that start a trailing attribution, cut from a reported clause
TRIM_PHRASES = {"according to", "as reported", "as first", "citing a", "citing people", "sources said"}
TRIM_PRONOUNS = {"he", "she", "they", "it"}
TRIM_CUES = {"said", "says"}
# words of a sentence after the cue that do not make it a clause of its own (“…, X said on Tuesday.”)
TAIL_SKIP = {"on", "reporters"}
TELL_WORDS = {"told", "telling", "tells", "tell"}
SETTING_WORDS = {"in", "at", "during", "on"}
POSSESSIVE_DETERMINERS = {"a", "an", "the", "his", "her", "its", "their"}
# “in an interview with Bloomberg”
CHANNEL_LINKS = {"with", "on", "to"}
# “on X”, “on Weibo”: the platform is the channel
PLATFORMS = {"X", "Twitter", "LinkedIn", "Weibo", "WeChat", "Facebook"}
NOUN_TAGS = {"NNS", "NN", "NNP", "NNPS"}
# “The warning came from X” after a quote
NEXT_SENTENCE = re.compile(
    r"\s*(?:The|Those|These|That|This) (?:warning|remarks?|comments?|words|message|statement|"
    r"criticism|assessment|threat|pledge)s? (?:came|come|was|were) (?:from) "
)
