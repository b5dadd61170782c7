"""Actor and targets of a measure: the government that acts, and the countries and firms the text names
as what the action is aimed at. Both come from the entity stage's mentions, with their jurisdictions."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.components.measures.adapter import DocView, MentionRef
from pipeline.components.measures.lexicon import WORD, MeasureRules
from pipeline.components.measures.triggers import Trigger

# how far after a trigger a target may sit ("restrictions on AI chip exports to countries like Thailand")
TARGET_WORDS = 16
# words that end the clause a trigger's targets and items sit in
CLAUSE_ENDS = frozenset(
    {"said", "says", "while", "but", "although", "because", "after", "which", "who", "adding", "if", "unless", "when"}
)
# how far back an actor is carried from an earlier sentence when the trigger's own names none
CARRY_CHARS = 300
PARTY_TYPES = frozenset({"agreement", "negotiation"})
FIRM_TARGET_TYPES = frozenset({"entity_listing", "sanction", "licence_decision", "investigation", "import_restriction"})


# how many words may stand between a government's possessive and the trigger it owns ("Beijing's April
# restrictions", "the Netherlands' additional export measures")
OWNER_WORDS = 4


@dataclass(frozen=True)
class Parties:
    actor: MentionRef | None
    targets: list[MentionRef]
    owned: bool = False  # the actor is the trigger's possessive owner: the text names that government's measure


def _prev_words(view: DocView, m: MentionRef, n: int) -> list[str]:
    """The `n` words before a mention, lower-cased, nearest last."""
    lo = max(m.start - 40, 0)
    return [w.lower() for w in WORD.findall(view.text, lo, m.start)][-n:]


def _possessive(view: DocView, m: MentionRef) -> bool:
    return view.text[m.end : m.end + 2] in ("'s", "’s")


def _origin(view: DocView, m: MentionRef, rules: MeasureRules) -> bool:
    """'U.S.-made chips', 'Chinese-built cars': the country is where the goods come from, not a party."""
    after = view.text[m.end : m.end + 16]
    if not after.startswith(("-", "–")):
        return False
    w = WORD.match(after, 1)
    return w is not None and w.group().lower() in rules.origin_suffixes


_VERB_S = frozenset({"is", "was", "has", "says", "does", "plans", "aims", "wants", "seeks", "needs", "looks"})


def _adjective(view: DocView, m: MentionRef, trig: Trigger, rules: MeasureRules) -> bool:
    """A country in front of a noun other than the trigger ('Chinese firms', '16 U.S. entities') names no
    actor; in front of the trigger ('Chinese export controls', 'U.S. tariffs') it does."""
    if m.end <= trig.start and trig.start - m.end <= 12:
        return False
    nxt = WORD.match(view.text, m.end + 1) if view.text[m.end : m.end + 1] == " " else None
    w = nxt.group() if nxt is not None else ""
    if m.attrs.get("form") == "demonym":
        # "the Dutch government", "Chinese authorities": the demonym names the government itself
        return w.lower() not in rules.government_nouns
    if not w:
        return False
    return w.islower() and w.endswith("s") and w not in _VERB_S and w not in rules.status_words


def _venue(view: DocView, m: MentionRef, rules: MeasureRules) -> bool:
    """'talks in Paris', 'a summit at Beijing': a capital after a preposition of place is where, not who."""
    return m.attrs.get("form") == "metonym" and bool(set(_prev_words(view, m, 1)) & rules.venue_preps)


def _owner(view: DocView, trig: Trigger, before: list[MentionRef]) -> MentionRef | None:
    """The government whose possessive stands just before the trigger ("China's rare earth curbs")."""
    for m in reversed(before):
        if not (m.is_government and _possessive(view, m)):
            continue
        gap = view.text[m.end + 2 : trig.start]
        if len(WORD.findall(gap)) <= OWNER_WORDS and not any(c in gap for c in ",;:()\"“”"):
            return m
        return None
    return None


def find_parties(
    view: DocView, trig: Trigger, rules: MeasureRules, speaker: MentionRef | None, status: str | None = None
) -> Parties:
    sent = trig.sentence
    in_sent = [m for m in view.mentions_in(sent.start, sent.end) if not _venue(view, m, rules)]
    clause_end = _clause_end(trig)
    if trig.entry.type in PARTY_TYPES:
        govs = [m for m in in_sent if m.is_government and m.start < clause_end]
        if trig.last_word < len(trig.sentence.words) and trig.sentence.words[trig.last_word][2] == "between":
            # "a meeting between X and Y": the parties are named after the trigger
            govs = [m for m in govs if m.start >= trig.end]
        return _between(view, trig, govs)
    before = [m for m in in_sent if m.end <= trig.start]
    # "China opposes the Netherlands' export measures": the owner acts, not the subject; but in "Trump
    # repealed Biden's rule" the owner's rule is what is undone, by the subject
    owner = _owner(view, trig, before) if status not in ("revoked", "suspended") else None
    if owner is not None:
        after = [m for m in in_sent if m.start >= trig.end and m.start < clause_end]
        return Parties(owner, _targets(view, trig, rules, before, after, owner), owned=True)
    after = [m for m in in_sent if m.start >= trig.end and m.start < clause_end]
    hit = [m for m in before if _recipient(view, m, trig, rules)]
    # "tariffs announced by the U.S.", "restrictions imposed by Washington last year": the agent of the
    # participle right after the trigger acts, whoever the sentence names before it
    actor = _agent_after(view, trig, after) or _actor_before(view, trig, [m for m in before if m not in hit], rules)
    if actor is None and speaker is not None and speaker.is_government and speaker not in hit:
        # reported speech: "the ministry said it would impose ..."
        actor = speaker
    if actor is None:
        # "tariffs imposed by Washington", "the limits that China enacted" (not "found that Chinese policies")
        actor = next(
            (
                m
                for m in after
                if m.is_government
                and (prev := _prev_words(view, m, 1)) in (["by"], ["that"])
                and (prev == ["by"] or not _adjective(view, m, trig, rules))
            ),
            None,
        )
    targets = _targets(view, trig, rules, before, after, actor)
    targets += [m for m in hit if m.label == "COUNTRY" and m not in targets]
    if actor is None:
        # "The commerce ministry separately added ...": the government the preceding sentences name acts on
        prior = [m for m in view.mentions_before(sent.start) if sent.start - m.end <= CARRY_CHARS]
        actor = next(
            (
                m
                for m in reversed(prior)
                if m.label in ("COUNTRY", "AGENCY")
                and m.is_government
                and not _origin(view, m, rules)
                and m.attrs.get("form") != "demonym"
            ),
            None,
        )
        actor_carried = actor is not None
        if actor_carried:
            targets = [t for t in targets if t.canonical_id != actor.canonical_id]  # type: ignore[union-attr]
    return Parties(actor, targets)


# at most this many words between a trigger and the "by" of its participle ("tariffs announced by")
AGENT_WORDS = 3


def _agent_after(view: DocView, trig: Trigger, after: list[MentionRef]) -> MentionRef | None:
    """The government after "by" right after the trigger, or in a participle there ("tariff hikes by
    Washington", "duties imposed by Beijing")."""
    for m in after:
        if not m.is_government:
            continue
        gap = [w.lower() for w in WORD.findall(view.text, trig.end, m.start)]
        if gap[-1:] == ["the"]:
            gap.pop()
        if gap == ["by"] or (2 <= len(gap) <= AGENT_WORDS + 1 and gap[-1] == "by" and gap[0].endswith("ed")):
            return m
        return None
    return None


def _recipient(view: DocView, m: MentionRef, trig: Trigger, rules: MeasureRules) -> bool:
    """'China, which was slapped with a 34% tariff', 'Vietnam now faces a levy': hit by the measure."""
    return bool(
        m.is_government and rules.recipient_re is not None and rules.recipient_re.search(view.text, m.end, trig.start)
    )


def _clause_end(trig: Trigger) -> int:
    words = trig.sentence.words
    hi = min(trig.last_word + TARGET_WORDS, len(words))
    for k in range(trig.last_word, hi):
        if words[k][2] in CLAUSE_ENDS:
            return words[k][0]
    return words[hi - 1][1] if hi > trig.last_word else trig.end


def _after_target_prep(view: DocView, m: MentionRef, rules: MeasureRules) -> bool:
    """'tariffs on Canada', 'on Canada and Mexico'; but ', and China retaliated' joins a clause, not a target."""
    prev = _prev_words(view, m, 1)
    if not prev or prev[0] not in rules.target_preps:
        return False
    if prev[0] == "and":
        k = view.text.rfind("and", max(m.start - 8, 0), m.start)
        return not view.text[max(k - 2, 0) : k].rstrip().endswith(",")
    return True


def _actor_before(view: DocView, trig: Trigger, before: list[MentionRef], rules: MeasureRules) -> MentionRef | None:
    cands = [
        m
        for m in before
        if m.is_government
        and not _origin(view, m, rules)
        and not _adjective(view, m, trig, rules)
        and not _after_target_prep(view, m, rules)
    ]
    if not cands:
        return None
    # "the Trump administration repealed Biden's rules": the owner of what is repealed is not who acts
    plain = [m for m in cands if not _possessive(view, m)]
    return (plain or cands)[-1]


def _targets(
    view: DocView,
    trig: Trigger,
    rules: MeasureRules,
    before: list[MentionRef],
    after: list[MentionRef],
    actor: MentionRef | None,
) -> list[MentionRef]:
    out: list[MentionRef] = []
    seen: set[str] = set()

    def add(m: MentionRef) -> None:
        key = m.canonical_id or m.text.lower()
        if actor is not None and (key == (actor.canonical_id or actor.text.lower()) or m is actor):
            return
        if key not in seen:
            seen.add(key)
            out.append(m)

    for m in after:
        if m.label not in ("COUNTRY", "COMPANY") or _origin(view, m, rules):
            continue
        prev = _prev_words(view, m, 2)
        if m.attrs.get("form") == "demonym" or set(prev) & rules.target_preps:
            add(m)
    if trig.entry.type in FIRM_TARGET_TYPES and actor is not None:
        # "the Commerce Department added Huawei and SMIC to the Entity List"
        for m in before:
            if m.start > actor.end and m.label in ("COMPANY", "COUNTRY") and not _origin(view, m, rules):
                if m.label == "COUNTRY" and _possessive(view, m):
                    continue  # "China's Huawei": the firm's home, not a listed party
                add(m)
    return out


def _between(view: DocView, trig: Trigger, govs: list[MentionRef]) -> Parties:
    """Talks and deals have parties rather than an actor and targets: the first named acts, the others are
    its counterparts ("talks between the U.S. and China")."""
    by_juris: dict[str, MentionRef] = {}
    for m in govs:
        j = m.jurisdiction
        if j is not None and j not in by_juris:
            by_juris[j] = m
    parties = list(by_juris.values())
    if not parties:
        return Parties(None, [])
    countries = [m for m in parties[1:] if m.label == "COUNTRY"] or parties[1:]
    return Parties(parties[0], countries)
