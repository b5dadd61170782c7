"""Coded errors: one table of every code tradex writes to an errors file."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """`TX1xx` input problems, `TX2xx` processing problems, `TX3xx` usage/config problems."""

    UNREADABLE = "TX100"
    EMPTY_TEXT = "TX101"
    UNDECODABLE = "TX102"
    BAD_JSON = "TX103"
    MISSING_TEXT = "TX104"
    OVERSIZED = "TX105"
    BAD_CSV = "TX106"
    NOT_AN_OBJECT = "TX107"
    NO_MAIN_TEXT = "TX108"
    BAD_FIELD = "TX109"
    WARC_SKIPPED = "TX120"
    OTHER_LANGUAGE = "TX121"
    UNKNOWN_FEED = "TX122"
    NOT_A_FILE = "TX110"
    PROCESSING_FAILED = "TX200"
    WORKER_DIED = "TX201"
    BAD_CONFIG = "TX300"
    BAD_OUTPUT = "TX301"
    OUTPUT_LOCKED = "TX302"
    WRITE_FAILED = "TX303"
    BAD_RULES = "TX304"
    DATABASE_BUSY = "TX310"


DESCRIPTIONS: dict[ErrorCode, str] = {
    ErrorCode.UNREADABLE: "the input file cannot be opened or read",
    ErrorCode.EMPTY_TEXT: "the article text is empty or only white space",
    ErrorCode.UNDECODABLE: "the bytes are not text in any detectable encoding",
    ErrorCode.BAD_JSON: "the JSONL line is not valid JSON",
    ErrorCode.MISSING_TEXT: "the JSON object or CSV row has no text field",
    ErrorCode.OVERSIZED: "the article is longer than max_chars",
    ErrorCode.BAD_CSV: "the CSV row cannot be parsed",
    ErrorCode.NOT_AN_OBJECT: "the JSONL line is valid JSON but not an object",
    ErrorCode.NO_MAIN_TEXT: "no main text could be extracted from the HTML page",
    ErrorCode.BAD_FIELD: "a field has the wrong type",
    ErrorCode.WARC_SKIPPED: "a WARC record that is not an HTML page answered with 200 (request, revisit, metadata, "
    "non-HTML or non-200 response): skipped, with its offset",
    ErrorCode.OTHER_LANGUAGE: "the article is not in the language --lang asks for: skipped",
    ErrorCode.UNKNOWN_FEED: "a JSON document that is neither a NewsAPI response, a news-please article nor a list of "
    "articles",
    ErrorCode.NOT_A_FILE: "the input is not a regular file (device, FIFO, socket, dead link) and was skipped",
    ErrorCode.PROCESSING_FAILED: "the NLP pipeline raised an error on this article",
    ErrorCode.WORKER_DIED: "a worker process died; the finished partitions are kept for --resume",
    ErrorCode.BAD_CONFIG: "the command line or configuration is invalid",
    ErrorCode.BAD_RULES: "a --rules folder does not validate (tradex rules validate DIR lists every problem)",
    ErrorCode.DATABASE_BUSY: "the DuckDB database is open in another process, or cannot be opened",
    ErrorCode.BAD_OUTPUT: "the output path is a device, a folder, an input, or cannot be written",
    ErrorCode.OUTPUT_LOCKED: "another tradex run is writing the same output",
    ErrorCode.WRITE_FAILED: "writing the output failed (disk full, I/O error); nothing partial is left",
}


class TradexError(Exception):
    """An error with a code, for usage and configuration problems (exit status 2)."""

    def __init__(self, code: ErrorCode, message: str):
        self.code = code
        super().__init__(f"{code.value}: {message}")
