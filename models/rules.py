"""Pydantic models of rule-pack entries and lexicon entries (the packs in `pipeline/rules/`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from models.records import Label

ID_RE = re.compile(r"^[a-z]+:[a-z0-9][a-z0-9._\-]*$")
ISO2_RE = re.compile(r"^[A-Z]{2}$")

# Non-ISO jurisdictions allowed for agencies and policies (blocs and international bodies).
EXTRA_JURISDICTIONS = {"EU", "INTL", "ASEAN", "G7", "G20", "OECD", "UN", "WTO"}

CaseRule = Literal["auto", "sensitive", "insensitive"]


class _Entry(BaseModel):
    """Fields every pack entry has, whatever its label."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    case: CaseRule = "auto"
    enabled: bool = True
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError(f"id {v!r} must look like 'label:lowercase-slug'")
        return v

    @field_validator("aliases")
    @classmethod
    def _aliases_clean(cls, v: list[str]) -> list[str]:
        for a in v:
            if not a or a != a.strip():
                raise ValueError(f"alias {a!r} is empty or has surrounding spaces")
        if len(set(v)) != len(v):
            raise ValueError("aliases repeat")
        return v

    @property
    def label(self) -> Label:
        return Label[self.id.split(":", 1)[0].upper()]

    def surface_forms(self) -> list[str]:
        """The name followed by its aliases, without repeats."""
        seen: dict[str, None] = {self.name: None}
        for a in self.aliases:
            seen.setdefault(a, None)
        return list(seen)


@lru_cache(maxsize=1)
def iso_alpha2() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes in use, and the withdrawn ones history needs (SU, YU, CS, DD), from pycountry."""
    import pycountry

    current = {c.alpha_2 for c in pycountry.countries}
    withdrawn = {str(getattr(h, "alpha_2", "")) for h in pycountry.historic_countries}
    return frozenset(current | {w for w in withdrawn if w})


def _check_code(v: str) -> str:
    if v in EXTRA_JURISDICTIONS:
        return v
    if not ISO2_RE.match(v) or v not in iso_alpha2():
        blocs = ", ".join(sorted(EXTRA_JURISDICTIONS))
        raise ValueError(f"{v!r} is not an ISO 3166 alpha-2 code or a known bloc ({blocs})")
    return v


Iso2 = Annotated[str, AfterValidator(_check_code)]


class CompanyEntry(_Entry):
    country: Iso2 | None = None
    ticker: str | None = None
    sector: str | None = None


class ChipEntry(_Entry):
    vendor: str
    family: str | None = None
    kind: str | None = None

    @field_validator("vendor")
    @classmethod
    def _vendor_id(cls, v: str) -> str:
        if not v.startswith("company:"):
            raise ValueError("vendor must be a company id such as 'company:nvidia'")
        return v


class OfficialEntry(_Entry):
    title: str | None = None
    office: str | None = None
    country: Iso2 | None = None
    term: str | None = None
    surname: str | None = None
    gender: Literal["m", "f"] | None = None


class PersonEntry(_Entry):
    role: str | None = None
    org: str | None = None
    surname: str | None = None
    gender: Literal["m", "f"] | None = None


class MaterialEntry(_Entry):
    symbol: str | None = None
    group: str | None = None


class CountryEntry(_Entry):
    iso: Iso2
    iso3: str | None = None
    demonyms: list[str] = Field(default_factory=list)
    metonyms: list[str] = Field(default_factory=list)

    def surface_forms(self) -> list[str]:
        seen = dict.fromkeys(super().surface_forms())
        for d in [*self.demonyms, *self.metonyms]:
            seen.setdefault(d, None)
        return list(seen)


class AgencyEntry(_Entry):
    jurisdiction: Iso2 | None = None
    parent: str | None = None


class MediaEntry(_Entry):
    country: Iso2 | None = None
    kind: str | None = None


class PolicyEntry(_Entry):
    jurisdiction: Iso2 | None = None
    year: int | None = None
    kind: str | None = None


ENTRY_MODELS: dict[Label, type[_Entry]] = {
    Label.COMPANY: CompanyEntry,
    Label.CHIP: ChipEntry,
    Label.OFFICIAL: OfficialEntry,
    Label.PERSON: PersonEntry,
    Label.MATERIAL: MaterialEntry,
    Label.COUNTRY: CountryEntry,
    Label.AGENCY: AgencyEntry,
    Label.MEDIA: MediaEntry,
    Label.POLICY: PolicyEntry,
}

RuleEntry = _Entry


CueKind = Literal["speech", "written", "belief", "source"]


class CueEntry(BaseModel):
    """One reporting verb or phrase of the cue lexicon (`pipeline/rules/lexicon/cues.jsonl`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lemma: str = Field(min_length=1, description="lemma of the verb, or the phrase as lower-case words")
    forms: list[str] = Field(default_factory=list, description="inflected forms matched without a tagger")
    kind: CueKind = "speech"
    pos: Literal["VERB", "PHRASE", "NOUN"] = "VERB"
    allows_indirect: bool = True
    channel: str | None = Field(None, description="default channel, e.g. 'X' for 'tweeted'")
    bare_lemma: bool = Field(
        False,
        description="the lemma as written is a cue even without a tagger ('say'); most bare lemmas are too often "
        "nouns there ('note', 'report')",
    )

    @model_validator(mode="after")
    def _forms_lower(self) -> CueEntry:
        for f in [self.lemma, *self.forms]:
            if f != f.lower() or f != f.strip():
                raise ValueError(f"cue form {f!r} must be lower-case without surrounding spaces")
        return self


class TitleEntry(BaseModel):
    """An office or role word used before or after a name (`pipeline/rules/lexicon/titles.jsonl`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    official: bool = Field(True, description="True when the holder is an OFFICIAL, False for PERSON roles")
    gender: Literal["m", "f"] | None = None
    nominal: bool = Field(False, description="usable as 'the <title>' to refer back to a holder")


class PatternLexicon(BaseModel):
    """Word lists behind the pattern rules for names the packs do not know (`lexicon/patterns.json`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    company_heads: list[str] = Field(description="last words of company names: Technologies, Semiconductor, Metals")
    legal_suffixes: list[str] = Field(description="legal forms after a company name: Inc, Corp, Co, Ltd, AG")
    agency_heads: list[str] = Field(description="words that make an organisation a government body")
    media_heads: list[str] = Field(description="words that make an organisation a news outlet")
    chip_nouns: list[str] = Field(description="nouns after a model number that make it a chip")
    name_stopwords: list[str] = Field(description="capitalised words that never start a name (The, But, On ...)")
    anonymous_sources: list[str] = Field(
        description="phrases naming an unnamed source (people familiar with the matter)"
    )
    nominal_heads: dict[str, list[Label]] = Field(
        description="'the company' -> labels it can refer back to, e.g. company: [COMPANY]"
    )
    channel_nouns: list[str] = Field(description="where words are said: statement, interview, briefing, post")
    family_first_surnames: list[str] = Field(
        default_factory=list,
        description="family names written first (Liang Wenhao, Kim Jung-kwan): the surname is the first word",
    )
    ambiguous_surnames: list[str] = Field(
        default_factory=list, description="surnames too common to name a pack person on their own (Smith, Ross)"
    )
    currency_words: list[str] = Field(
        default_factory=list, description="words after a country that make it part of a currency (U.S. dlrs)"
    )
    non_country_places: list[str] = Field(
        default_factory=list, description="place names that contain a country name but are not it (New Mexico)"
    )
    not_entity_heads: list[str] = Field(
        default_factory=list, description="words that make a model ORG span no entity of ours (University, Party)"
    )
    generic_org_words: list[str] = Field(
        default_factory=list, description="single words the statistical NER mistakes for organisations (Commerce)"
    )
    national_body_heads: list[str] = Field(
        default_factory=list,
        description="lower-case heads of bodies named by function, split from a demonym before them "
        "('Chinese customs' = COUNTRY + AGENCY): ministry, customs, embassy",
    )
    programme_nouns: list[str] = Field(
        default_factory=list,
        description="nouns after a named law or programme that belong to the POLICY span (IEEPA tariffs)",
    )
    policy_heads: list[str] = Field(
        default_factory=list,
        description="last words that make a capitalised name a POLICY (Act, Rule, Agreement, Plan)",
    )
    not_entity_words: list[str] = Field(
        default_factory=list,
        description="capitalised words and acronyms that are never an entity of ours (UAV, DRAM, PDF, COVID-19)",
    )
    region_actors: dict[str, str] = Field(
        default_factory=dict,
        description="regions that are a COUNTRY only when they act, with the id they take (Europe -> country:eu)",
    )
    actor_cues: dict[Literal["after", "before"], list[str]] = Field(
        default_factory=dict,
        description="words right after (must, 's, said) or before (divided, urged) a region that make it act",
    )
    exchanges: list[str] = Field(
        default_factory=list,
        description="stock exchanges; a word after 'EXCHANGE:' is a ticker, no entity of its own (NYSE, Nasdaq)",
    )
    person_roles: list[str] = Field(
        default_factory=list,
        description="lower-case roles whose holder is a PERSON even in a government body (a ministry spokesperson)",
    )
    platform_channel_words: list[str] = Field(
        default_factory=list,
        description="nouns after a platform that make it the channel of a statement, no actor "
        "(a Truth Social post, his Facebook page)",
    )
    material_forms: list[str] = Field(
        default_factory=list,
        description="lower-case grade and form words before or after a material that stay in its span "
        "(unwrought, refined, metal, products)",
    )


# ---------------------------------------------------------------------------------------------- measures
MeasureTypeName = Literal[
    "import_tariff",
    "trade_defence",
    "export_control",
    "export_ban",
    "import_restriction",
    "entity_listing",
    "sanction",
    "licence_decision",
    "investigation",
    "investment_measure",
    "subsidy",
    "procurement_restriction",
    "agreement",
    "negotiation",
]
StatusName = Literal["in_force", "announced", "proposed", "threatened", "suspended", "revoked"]
DirectionName = Literal["restrictive", "liberalising"]


def _lower_phrases(values: list[str], what: str) -> list[str]:
    for v in values:
        if not v or v != v.strip() or v != v.lower() or "  " in v:
            raise ValueError(f"{what} {v!r} must be lower-case words separated by single spaces")
    if len(set(values)) != len(values):
        raise ValueError(f"{what}s repeat")
    return values


class MeasureTriggerEntry(BaseModel):
    """Words that name a trade measure (`pipeline/rules/lexicon/measures.jsonl`), with the type they give.

    A trigger with `near` counts only when one of those words is within `window` words of it (`ban` is an
    export ban near `exports`, an import restriction near `imports`); entries are tried in file order, so
    the ones with `near` come before the bare form they refine."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    forms: list[str] = Field(min_length=1, description="lower-case phrases, matched as whole words in any case")
    type: MeasureTypeName
    direction: DirectionName | None = Field(None, description="the direction the trigger gives on its own")
    near: list[str] = Field(default_factory=list, description="lower-case words one of which must be close by")
    window: int = Field(6, ge=1, le=30, description="how many words either side `near` is looked for in")
    anaphoric: bool = Field(
        False, description="a definite use ('the ban') refers back to a measure the article reported before"
    )
    score: float = Field(0.8, ge=0.0, le=1.0)
    enabled: bool = True

    @field_validator("forms")
    @classmethod
    def _forms(cls, v: list[str]) -> list[str]:
        return _lower_phrases(v, "form")

    @field_validator("near")
    @classmethod
    def _near(cls, v: list[str]) -> list[str]:
        return _lower_phrases(v, "near word")


class MeasureLexicon(BaseModel):
    """Word lists the measure stage reads besides its triggers (`pipeline/rules/lexicon/measure_words.json`).

    A user file with the same name extends each list (and `status` table) rather than replacing it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: dict[StatusName, list[str]] = Field(
        description="words or phrases before or right after a trigger that set its status (`will impose` -> "
        "announced, `is considering` -> proposed, `lifted` -> revoked)"
    )
    status_order: list[StatusName] = Field(
        description="which status wins when a clause holds cues of several (first wins)"
    )
    default_status: StatusName = Field("announced", description="the status of a trigger with a cue but none of these")
    conditional: list[str] = Field(description="words that make a future cue a threat: if, unless")
    liberalising: list[str] = Field(description="words that turn a measure into a lowering of a barrier: cut, eased")
    restrictive: list[str] = Field(description="words that make a measure raise a barrier: raise, tighten, new")
    effective_cues: list[str] = Field(
        description="words before a date that make it the effective date: from, effective"
    )
    target_preps: list[str] = Field(description="words before a country or firm that make it a target: on, to, against")
    origin_suffixes: list[str] = Field(description="'-made', '-manufactured': a country before these is no target")
    government_nouns: list[str] = Field(
        default_factory=list,
        description="nouns after a demonym that make it the government ('the Dutch government', 'Chinese authorities')",
    )
    modifier_heads: list[str] = Field(
        default_factory=list,
        description="nouns right after a trigger that make it a modifier of another thing, not a measure "
        "('tariff negotiator', 'tariff revenue')",
    )
    venue_preps: list[str] = Field(
        default_factory=list,
        description="words before a capital that make it the venue, not a party ('talks in Paris')",
    )
    products: list[str] = Field(description="product and sector phrases a measure can cover ('electric vehicles')")
    item_bounds: list[str] = Field(
        default_factory=list,
        description="words before a trigger past which its goods are not looked for: the goods of a trigger stand "
        "right before it ('gallium export curbs'), not across a preposition ('rare earths in response to tariffs')",
    )
    umbrella_goods: list[str] = Field(
        default_factory=list,
        description="class names of goods that are no item of their own when the goods they stand for follow "
        "('critical minerals gallium and germanium', 'minerals such as antimony')",
    )
    action_nouns: list[str] = Field(
        default_factory=list,
        description="nouns inside a trigger that make it a report of an action ('tariff hikes', 'tariff cut')",
    )
    recipient_cues: list[str] = Field(
        default_factory=list,
        description="words between a government and a trigger after it that make the government the one the "
        "measure hits, not the one taking it ('China, which was slapped with a 34% tariff', 'Vietnam faces a levy')",
    )
    end_uses: list[str] = Field(
        default_factory=list,
        description="words after a measure's goods that name what the goods are for, not more goods "
        "('graphite used in batteries': batteries is no item)",
    )
    nominals: dict[str, list[str]] = Field(
        default_factory=dict, description="'chips' -> [CHIP]: nouns in quotes that refer back to a mention of a label"
    )

    @model_validator(mode="after")
    def _lists_lower(self) -> MeasureLexicon:
        for name in (
            "conditional", "liberalising", "restrictive", "effective_cues", "target_preps", "products",
            "government_nouns", "venue_preps", "modifier_heads", "end_uses", "recipient_cues",
            "action_nouns", "item_bounds", "umbrella_goods",
        ):  # fmt: skip
            _lower_phrases(getattr(self, name), name.rstrip("s"))
        for status, words in self.status.items():
            _lower_phrases(words, f"status {status} word")
        if len(set(self.status_order)) != len(self.status_order) or set(self.status_order) != set(self.status):
            raise ValueError("status_order must name every status of the status table once")
        return self


class QuoteWords(BaseModel):
    """Word lists of the quote stage (`lexicon/quotes.json`), all lower case but the platform names.

    The four lists marked "(and the weekdays)" also hold every word of `weekdays`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    personal_pronouns: dict[str, Literal["m", "f"]] = Field(description="he/she/him/her and the gender they name")
    plural_or_org_pronouns: list[str] = Field(description="pronouns for a group or an organisation: it, they, we")
    weekdays: list[str] = Field(description="the days of the week")
    before_that: list[str] = Field(
        description="words that may stand between a cue and its 'that': recipients, times, settings, adverbs "
        "(and the weekdays)"
    )
    skip_between: list[str] = Field(
        description="words skipped between a speaker and the cue, or after the cue before the end (and the weekdays)"
    )
    recipient_words: list[str] = Field(
        description="what may stand between a cue and an opening mark besides an outlet: 'told reporters:' "
        "(and the weekdays)"
    )
    after_cue_skip: list[str] = Field(
        description="skipped after a cue before its speaker: 'said on Tuesday X' (and the weekdays)"
    )
    not_after_that: list[str] = Field(
        description="after 'that' these make it a determiner ('that same day'), not a clause"
    )
    clause_breaks: list[str] = Field(description="words that end a speaker phrase or put a cue in another clause")
    subject_words: list[str] = Field(description="words that open a that-less reported clause: 'said it would'")
    honorifics: list[str] = Field(description="Mr. / Ms. / Dr. before a name")
    role_links: list[str] = Field(
        description="'a spokesperson for Huawei': the words between a role and its organisation"
    )
    source_counts: list[str] = Field(
        description="numbers of people before an unnamed source: 'two people familiar with'"
    )
    progressive_aux: list[str] = Field(
        description="auxiliaries before a participle cue that keep its own subject: 'is saying'"
    )
    trim_phrases: list[str] = Field(
        description="two words after a comma that start a trailing attribution, cut from a clause"
    )
    trim_pronouns: list[str] = Field(
        description="pronouns after a comma that, with a cue, start a trailing attribution"
    )
    trim_cues: list[str] = Field(description="cues after a comma that start a trailing attribution: ', said X'")
    tail_skip: list[str] = Field(description="words after a cue that do not make the rest of the sentence a clause")
    channel_triggers: list[str] = Field(description="words after which a channel or an outlet may be named")
    tell_words: list[str] = Field(description="forms of 'tell': the outlet after them is the channel ('told CNBC')")
    setting_words: list[str] = Field(description="prepositions before a channel noun: 'in a statement', 'on X'")
    possessive_determiners: list[str] = Field(description="determiners before a channel noun: 'in his speech'")
    channel_links: list[str] = Field(
        description="'in an interview with Bloomberg': words between a channel noun and an outlet"
    )
    continuation_openers: list[str] = Field(
        default_factory=list,
        description="after '<clause>, X said,' these open more of the same statement: 'including', 'but'",
    )
    frame_cues: list[str] = Field(
        default_factory=list,
        description="lemmas of cues whose quote is a noun-phrase frame: 'called the waiver a “backdoor”'",
    )
    embedding_words: list[str] = Field(
        default_factory=list,
        description="'what she called the “abuse”': before a frame cue, the description is part of another quote",
    )
    clause_cues: list[str] = Field(
        default_factory=list,
        description="lemmas of cues after which a that-less clause needs no verb check: say, tell, and the directive "
        "urge and ask (urged X to do Y is a quote)",
    )
    finite_verbs: list[str] = Field(
        default_factory=list,
        description="auxiliaries and modals that show a that-less reported clause without a tagger: 'would'",
    )
    data_nouns: list[str] = Field(
        default_factory=list,
        description="'according to customs data': nouns of figures, which are no speaker of the clause",
    )
    scare_markers: list[str] = Field(
        default_factory=list,
        description="'the so-called “chip war”': words before marks that name a term rather than quote anyone",
    )
    platforms: list[str] = Field(description="platforms named after 'on' as a channel: X, Weibo (as written)")
    speak_words: list[str] = Field(
        default_factory=list,
        description="forms of 'speak'/'talk': the outlet after 'to'/'with' is the channel ('speaking to Yonhap')",
    )
    voice_titles: list[str] = Field(
        default_factory=list,
        description="roles that speak for their body: 'a ministry spokesman' is the ministry (not 'an official')",
    )
    group_quantities: list[str] = Field(
        default_factory=list,
        description="heads of a quantified group subject: 'Sixty percent of economists …', 'most of the firms …'",
    )
    group_links: list[str] = Field(
        default_factory=list,
        description="words after a group's head that open its modifier: 'economists polled by Reuters', "
        "'steelmakers that supply Ford' (the name in the modifier is no speaker)",
    )

    @model_validator(mode="after")
    def _lower_case(self) -> QuoteWords:
        for name, value in self:
            if name == "platforms":
                continue
            for w in value:
                if w != w.lower() or w != w.strip() or not w:
                    raise ValueError(f"{name}: {w!r} must be lower-case without surrounding spaces")
        return self
