"""The data dictionary of the warehouse tables: every table and column with its type, key and meaning.

One source for three readers: `tradex schema --tables` prints it, `export` writes it into the database
as `COMMENT ON TABLE/COLUMN` (so a BI tool shows it), and the README's table section is this text
(`tests/corpus/test_dictionary.py` fails when the README or the database drift from it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str
    key: str = ""  # "PK", "PK, FK articles", "FK entities" ...


@dataclass(frozen=True)
class TableDoc:
    name: str
    meaning: str
    columns: tuple[Column, ...]


C = Column
TABLES: tuple[TableDoc, ...] = (
    TableDoc("articles", "one row per article record (the last export of a doc_id wins)", (
        C("doc_id", "VARCHAR", "the input's own id, else sha256(text)[:16]", "PK"),
        C("path", "VARCHAR", "input path as given, with #L<n> for a line of a JSONL/CSV file"),
        C("url", "VARCHAR", "article URL from the input or page metadata"),
        C("publisher", "VARCHAR", "outlet that published the article"),
        C("published", "DATE", "publication date (null when unknown)"),
        C("title", "VARCHAR", "headline"),
        C("text", "VARCHAR", "the exact text all offsets refer to"),
        C("n_entities", "INTEGER", "entity mentions in the article"),
        C("n_quotes", "INTEGER", "quotes in the article"),
        C("duplicate_of", "VARCHAR", "doc_id of the article this one near-duplicates (dedupe), else null",
          "FK articles"),
        C("dup_cluster", "VARCHAR", "near-duplicate cluster id shared by copies of one story"),
        C("pipeline_version", "VARCHAR", "tradex version that made the record"),
        C("rules_version", "VARCHAR", "hash of the rule packs used"),
        C("model", "VARCHAR", "spaCy pipeline name and version, null for rules only"),
    )),
    TableDoc("mentions", "one row per entity mention in an article", (
        C("doc_id", "VARCHAR", "article the mention is in", "PK, FK articles"),
        C("mention_id", "VARCHAR", "mention id from its span: e<start>-<end>, stable across runs", "PK"),
        C("text", "VARCHAR", "the mention as written"),
        C("start_char", "INTEGER", "character offset of the start in articles.text"),
        C("end_char", "INTEGER", "character offset of the end (exclusive)"),
        C("label", "VARCHAR", "COMPANY, CHIP, OFFICIAL, PERSON, MATERIAL, COUNTRY, AGENCY, MEDIA or POLICY"),
        C("canonical_id", "VARCHAR", "entity id (pack id, or a discovered ~id after normalize)", "FK entities"),
        C("canonical_name", "VARCHAR", "preferred name of the entity"),
        C("method", "VARCHAR", "how it was found: rule, pattern, model or coref"),
        C("rule", "VARCHAR", "pack file and line, or pattern id"),
        C("score", "DOUBLE", "confidence of the method, 0 to 1"),
        C("title", "VARCHAR", "title read from the text for people and officials"),
        C("attrs", "JSON", "label-specific facts (title, vendor, symbol, antecedent ...)"),
    )),
    TableDoc("quotes", "one row per quotation or reported statement", (
        C("doc_id", "VARCHAR", "article the quote is in", "PK, FK articles"),
        C("quote_id", "VARCHAR", "quote id within the article, from its span: q<start>-<end>", "PK"),
        C("text", "VARCHAR", "the quoted content (marks excluded) or the reported clause"),
        C("start_char", "INTEGER", "character offset of the start in articles.text"),
        C("end_char", "INTEGER", "character offset of the end (exclusive)"),
        C("kind", "VARCHAR", "direct, partial, mixed or indirect"),
        C("cue_text", "VARCHAR", "the reporting verb or phrase"),
        C("speaker_text", "VARCHAR", "the words that point at the speaker (may be a pronoun)"),
        C("speaker_entity_id", "VARCHAR", "the mention the speaker resolves to (mentions.mention_id)"),
        C("speaker_canonical_id", "VARCHAR", "entity id of the speaker", "FK entities"),
        C("speaker_name", "VARCHAR", "resolved full name of the speaker"),
        C("speaker_label", "VARCHAR", "entity label of the speaker"),
        C("speaker_title", "VARCHAR", "the speaker's title as the article gives it"),
        C("channel", "VARCHAR", "where the words were said (a statement, CNBC, X)"),
        C("via", "VARCHAR", "the outlet the article cites for the quote"),
        C("rule", "VARCHAR", "id of the quote rule that found it"),
        C("score", "DOUBLE", "confidence of the rule, 0 to 1"),
        C("quote_cluster", "VARCHAR", "the same quote carried by several articles shares this id (dedupe)"),
        C("outlets", "INTEGER", "distinct publishers that carry the quote (its cluster, or its own article)"),
    )),
    TableDoc("entities", "one row per entity: pack entries seen in the corpus and discovered entities", (
        C("id", "VARCHAR", "canonical id (company:nvidia, company:~harbor-ridge for a discovered one)", "PK"),
        C("name", "VARCHAR", "preferred name"),
        C("label", "VARCHAR", "entity label"),
        C("aliases", "VARCHAR[]", "surface forms seen"),
        C("mentions", "INTEGER", "mentions in all exported articles"),
        C("articles", "INTEGER", "articles that mention it"),
        C("first_seen", "DATE", "earliest publication date of an article that mentions it"),
        C("last_seen", "DATE", "latest publication date of an article that mentions it"),
        C("discovered", "BOOLEAN", "true when no rule pack knows the entity"),
    )),
    TableDoc("id_map", "discovered ids that an entity now has another id for (a pack entry added since): "
             "translate stored ids with it", (
        C("old_id", "VARCHAR", "the retired id, e.g. company:~harbor-ridge", "PK"),
        C("new_id", "VARCHAR", "the id the entity has now", "FK entities"),
        C("label", "VARCHAR", "entity label"),
    )),
    TableDoc("measures", "one row per trade-policy measure an article reports", (
        C("doc_id", "VARCHAR", "article the measure is in", "PK, FK articles"),
        C("measure_id", "VARCHAR", "measure id from its trigger's span: m<start>-<end>", "PK"),
        C("type", "VARCHAR", "import_tariff, export_control, entity_listing, ... (the record contract's table)"),
        C("mast_chapter", "VARCHAR", "UN MAST chapter of the type (null for tariffs, sanctions, talks ...)"),
        C("status", "VARCHAR", "in_force, announced, proposed, threatened, suspended or revoked"),
        C("direction", "VARCHAR", "restrictive or liberalising"),
        C("actor_name", "VARCHAR", "the government that acts"),
        C("actor_canonical_id", "VARCHAR", "entity id of the actor", "FK entities"),
        C("actor_label", "VARCHAR", "entity label of the actor"),
        C("actor_jurisdiction", "VARCHAR", "ISO 3166 alpha-2 code (or EU) of the acting government"),
        C("policy_id", "VARCHAR", "mention id of the POLICY naming the instrument"),
        C("rate_text", "VARCHAR", "the rate as written (25%, $100 million)"),
        C("rate_value", "DOUBLE", "the rate's number"),
        C("rate_unit", "VARCHAR", "percent, usd or other"),
        C("announced", "VARCHAR", "ISO date (or month) it was announced"),
        C("effective", "VARCHAR", "ISO date (or month) it takes or took effect"),
        C("measure_date", "DATE", "the day the timeline files it under: announced, else effective, else published"),
        C("trigger_text", "VARCHAR", "the words that name the action"),
        C("trigger_start", "INTEGER", "character offset of the trigger in articles.text"),
        C("evidence_start", "INTEGER", "start of the first evidence sentence"),
        C("evidence_end", "INTEGER", "end of the last evidence sentence"),
        C("n_evidence", "INTEGER", "sentences that report the measure"),
        C("quote_ids", "VARCHAR[]", "quotes that speak about the measure"),
        C("rule", "VARCHAR", "id of the trigger rule that found it"),
        C("score", "DOUBLE", "confidence of the rule, 0 to 1"),
        C("measure_cluster", "VARCHAR", "the same action reported by several articles shares this id (dedupe)"),
        C("cluster_sources", "INTEGER", "distinct publishers that report the measure's cluster"),
    )),
    TableDoc("measure_targets", "the countries and firms a measure is aimed at, one row each", (
        C("doc_id", "VARCHAR", "article", "PK, FK articles"),
        C("measure_id", "VARCHAR", "the measure", "PK, FK measures"),
        C("position", "INTEGER", "order of the target in the record", "PK"),
        C("name", "VARCHAR", "target name"),
        C("entity_id", "VARCHAR", "mention id of the target"),
        C("canonical_id", "VARCHAR", "entity id of the target", "FK entities"),
        C("label", "VARCHAR", "entity label"),
        C("jurisdiction", "VARCHAR", "ISO 3166 alpha-2 code (or EU) behind the target"),
    )),
    TableDoc("measure_items", "the goods, technologies and sectors a measure covers, one row each", (
        C("doc_id", "VARCHAR", "article", "PK, FK articles"),
        C("measure_id", "VARCHAR", "the measure", "PK, FK measures"),
        C("position", "INTEGER", "order of the item in the record", "PK"),
        C("text", "VARCHAR", "the item as written"),
        C("start_char", "INTEGER", "character offset of the start in articles.text"),
        C("end_char", "INTEGER", "character offset of the end (exclusive)"),
        C("entity_id", "VARCHAR", "mention id of a CHIP or MATERIAL item"),
        C("canonical_id", "VARCHAR", "entity id of the item", "FK entities"),
    )),
    TableDoc("quote_about", "what each quote speaks about: entities and measures, one row each", (
        C("doc_id", "VARCHAR", "article", "PK, FK articles"),
        C("quote_id", "VARCHAR", "the quote", "PK, FK quotes"),
        C("ref_id", "VARCHAR", "mention id or measure id the quote is about", "PK"),
        C("ref_kind", "VARCHAR", "entity or measure"),
    )),
)
VIEWS: dict[str, str] = {
    "quotes_by_speaker": "quotes, distinct quotes, articles and first/last date per speaker",
    "entity_comentions": "pairs of entities mentioned in the same (non-duplicate) article, with the count",
    "chip_quotes": "quotes in articles that mention a chip, with the chips of the article and of the quote",
    "measures_timeline": "distinct measures (clusters) per acting jurisdiction, type and month",
    "quotes_on_measures": "quotes that speak about a measure, with the measure's type, status and actor",
}


def table(name: str) -> TableDoc:
    return next(t for t in TABLES if t.name == name)


def _sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_statements() -> list[str]:
    """`COMMENT ON` for every table, column and view."""
    out = []
    for t in TABLES:
        out.append(f"COMMENT ON TABLE {t.name} IS {_sql(t.meaning)}")
        out.extend(f"COMMENT ON COLUMN {t.name}.{c.name} IS {_sql(c.meaning)}" for c in t.columns)
    out.extend(f"COMMENT ON VIEW {v} IS {_sql(m)}" for v, m in VIEWS.items())
    return out


def markdown() -> str:
    """The dictionary as Markdown: what `tradex schema --tables` prints and the README shows."""
    lines: list[str] = []
    for t in TABLES:
        lines += [f"**`{t.name}`**: {t.meaning}", "", "| column | type | key | meaning |", "|---|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.key} | {c.meaning} |" for c in t.columns]
        lines.append("")
    lines += ["**Views**", "", "| view | what |", "|---|---|"]
    lines += [f"| `{v}` | {m} |" for v, m in VIEWS.items()]
    return "\n".join(lines) + "\n"
