"""Name comparison: one part against one part, then a whole reading against another.

Part similarity is a ladder of named reasons, strongest first, so that the
explanation says *why* two parts agree (another transliteration, the same
given name in another culture, another surname form, a typo), never just a
number.  Names are aligned in any order: passports, bookings and lists
disagree on which part comes first, and the UN's FIRST..FOURTH_NAME are not
given and family names.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

from openpiu.names.equivalence import FEMININE_SUFFIXES, MASCULINE_SUFFIXES
from openpiu.screening.tokens import GLUE_BEFORE, Token, make_token

# Part similarity for each reason (documented knobs).
SIM_IDENTICAL = 1.0
SIM_SPELLING = 0.97  # same skeleton: KH~H, DZH~J, IU~YU, doubled letters
SIM_GIVEN_CLASS = 0.95  # MAGOMED ~ MUHAMMAD: one name across cultures
SIM_SURNAME_FORM = 0.93  # RAKHMONOV ~ RAHMON ~ RAHMONZODA
SIM_ARABIC_CONSONANTS = 0.9  # vowels of an Arabic-script name are guesses
SIM_TRUNCATED = 0.88  # a long name cut by the passport's name field
SIM_TYPO_1 = 0.88  # one edit (substitution, insertion, deletion, transposition)
SIM_TYPO_2 = 0.80  # two edits, long parts only
SIM_SPLIT = 0.95  # one part on one side, two on the other (XIAOMING / XIAO MING)
SIM_OTHER_GENDER = 0.7  # KHARITONOVA / KHARITONOV: a relative, rarely the person
SIM_KNOWN_NEIGHBOURS = 0.6  # NASIR / NAZIR: two names, or a typo
SIM_CONTEXT_TYPO = 0.8  # a leftover pair of parts, close in letters, in a name that agrees
SIM_LAST_PART = 0.65  # the one part left over in a name whose other parts all agree
MIN_TRUNCATED_NAME = 25  # letters of a name before a passport must truncate it
MIN_TRUNCATED = 6  # a truncated part keeps at least this many letters


def _edit_budget(length: int) -> int:
    """Edits tolerated when the longer part has this many letters: none below 5
    (ALI/ALA are two names), one up to 7 (PTER/PETER), two from 8."""
    if length < 5:
        return 0
    return 1 if length < 8 else 2


# Remembered comparisons, one dictionary per left part: a cache keyed by pairs
# holds a tuple per pair, and a million of those, all watched by the garbage
# collector, made its collections pauses of a second while a large list was
# screened.  Cleared whole past MEMO_PAIRS pairs.
MEMO_PAIRS = 1 << 20
_memo: dict[Token, dict[Token, tuple[float, str]]] = {}
_memo_pairs = 0


def part_similarity(a: Token, b: Token) -> tuple[float, str]:
    """Similarity of two parts in [0, 1] and the reason, strongest reason first."""
    global _memo_pairs
    known = _memo.get(a)
    if known is None:
        known = _memo[a] = {}
    found = known.get(b)
    if found is None:
        if _memo_pairs >= MEMO_PAIRS:
            _memo.clear()
            _memo_pairs = 0
            known = _memo[a] = {}
        found = known[b] = _compare(a, b)
        _memo_pairs += 1
    return found


def _compare(a: Token, b: Token) -> tuple[float, str]:
    if a.text == b.text:
        return SIM_IDENTICAL, "identical"
    if a.sk == b.sk:
        return SIM_SPELLING, "same name, another spelling"
    if a.gk == b.gk:
        return SIM_GIVEN_CLASS, f"same given name ({a.gk})"
    if a.stem == b.stem and len(a.stem) >= 3 and (a.suffix or b.suffix):
        if {a.suffix, b.suffix} & FEMININE_SUFFIXES and {a.suffix, b.suffix} & MASCULINE_SUFFIXES:
            return SIM_OTHER_GENDER, "same surname, the other gender's form"
        return SIM_SURNAME_FORM, "same surname, another form"
    if (a.arabic or b.arabic) and a.ck == b.ck and len(a.ck) >= 2:
        return SIM_ARABIC_CONSONANTS, "same consonants (Arabic script)"
    if a.known and b.known:
        # Two known names one letter apart (NASIR / NAZIR) are usually two names,
        # sometimes a typo: a weak likeness that cannot carry an alert alone.
        if OSA.distance(a.sk, b.sk, score_cutoff=1) <= 1 and min(len(a.sk), len(b.sk)) >= 4:
            return SIM_KNOWN_NEIGHBOURS, "two known names one letter apart"
        return 0.0, "different names (both known names)"
    if a.text == b.text + "A" or b.text == a.text + "A":
        # ZARIF / ZARIFA, EVGENII / EVGENIIA: the other gender's name.
        return 0.0, "different names (the female form)"
    # Typos: compare the surname stems (so KARIMOV/KARIMOVA/KARIMZODA typos
    # count one edit, not the suffix), and the skeletons.
    best = 0.0
    # The plain letters too: the skeleton's folds can hide a typo (AZAHR/AZHAR
    # become AZAHR/AJAR; YAYA/YAHYA become A/AHA).
    # Stems only between two surnames (KARIMZODA / KARYMOV): a stem against a
    # given name would make HAQQANI (stem HAKAN) a typo of HASAN.
    stems = (a.stem, b.stem) if a.suffix and b.suffix else (a.sk, b.sk)
    for x, y in (stems, (a.sk, b.sk), (a.text, b.text)):
        budget = _edit_budget(max(len(x), len(y)))
        if budget and abs(len(x) - len(y)) <= budget:
            edits = OSA.distance(x, y, score_cutoff=budget)
            if edits <= budget:
                best = max(best, SIM_TYPO_1 if edits <= 1 else SIM_TYPO_2)
    if best:
        return best, "typo" if best == SIM_TYPO_1 else "two typos"
    # Checked after typos: a prefix one letter short is a typo, not a truncation
    # (the alignment only accepts a truncation in a name long enough for one).
    short, long_ = (a.sk, b.sk) if len(a.sk) <= len(b.sk) else (b.sk, a.sk)
    if len(short) >= MIN_TRUNCATED and long_.startswith(short) and short not in GLUE_BEFORE:
        return SIM_TRUNCATED, "truncated"
    return 0.0, "different"


@dataclass(frozen=True, slots=True)
class Pair:
    left: Token
    right: Token
    similarity: float
    reason: str


@dataclass(frozen=True, slots=True)
class Alignment:
    """The best one-to-one pairing of two readings' name parts."""

    pairs: tuple[Pair, ...]
    left_unmatched: tuple[Token, ...]
    right_unmatched: tuple[Token, ...]
    left_honorifics: int = 0  # SAYED in "GHAFARI, SAYED": the name has more than one part


def _letters(tokens: list[Token]) -> int:
    return sum(len(t.text) for t in tokens)


def align(left: tuple[Token, ...], right: tuple[Token, ...]) -> Alignment:
    """Greedy best-first pairing of name parts (names are short: at most a few parts).

    Then two repairs: a part left over on one side may be two adjacent
    leftovers of the other written as one word (XIAOMING / XIAO MING), and a
    "truncated" pairing counts only when the name is long enough for a
    passport to have cut it (TD3 keeps 39 characters).
    """
    lnames = [t for t in left if t.kind == "name"]
    rnames = [t for t in right if t.kind == "name"]
    long_left = _letters(lnames) >= MIN_TRUNCATED_NAME
    long_right = _letters(rnames) >= MIN_TRUNCATED_NAME
    scored = []
    for i, a in enumerate(lnames):
        for j, b in enumerate(rnames):
            sim, reason = part_similarity(a, b)
            if sim > 0.0 and reason == "truncated":
                shorter_left = len(a.sk) < len(b.sk)
                if not (long_left if shorter_left else long_right):
                    continue
            if sim > 0.0:
                # Ties broken by weight: pair the rare parts first.
                scored.append((sim, a.weight + b.weight, i, j, reason))
    scored.sort(reverse=True)
    used_l: set[int] = set()
    used_r: set[int] = set()
    pairs: list[Pair] = []
    for sim, _w, i, j, reason in scored:
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        pairs.append(Pair(lnames[i], rnames[j], sim, reason))
    if len(used_l) < len(lnames) and len(used_r) < len(rnames):
        _join_split_parts(lnames, rnames, used_l, used_r, pairs)
    if pairs and len(used_l) < len(lnames) and len(used_r) < len(rnames):
        _pair_leftovers(lnames, rnames, used_l, used_r, pairs)
    return Alignment(
        tuple(pairs),
        tuple(t for i, t in enumerate(lnames) if i not in used_l),
        tuple(t for j, t in enumerate(rnames) if j not in used_r),
        sum(1 for t in left if t.kind == "honorific"),
    )


def _join_split_parts(
    lnames: list[Token], rnames: list[Token], used_l: set[int], used_r: set[int], pairs: list[Pair]
) -> None:
    """Pair a leftover part with two adjacent leftovers of the other side, joined."""
    for one, two, used_one, used_two, one_is_left in (
        (lnames, rnames, used_l, used_r, True),
        (rnames, lnames, used_r, used_l, False),
    ):
        for i, token in enumerate(one):
            if i in used_one:
                continue
            for j in range(len(two) - 1):
                if j in used_two or j + 1 in used_two:
                    continue
                joined = make_token(two[j].text + two[j + 1].text)
                sim, reason = part_similarity(token, joined)
                if sim >= SIM_TYPO_1 and reason != "truncated":
                    used_one.add(i)
                    used_two.update((j, j + 1))
                    sim = min(sim, SIM_SPLIT)
                    left, right = (token, joined) if one_is_left else (joined, token)
                    pairs.append(Pair(left, right, sim, "written as one word / two words"))
                    break


def context_budget(a: str, b: str) -> int:
    """One edit for short parts, two for longer ones that start alike; none when
    one part merely extends the other (MUHAMMAD / MUHAMMADALI are two names)."""
    if a.startswith(b) or b.startswith(a):
        return 0
    return 2 if max(len(a), len(b)) >= 5 and a[0] == b[0] else 1


def _pair_leftovers(
    lnames: list[Token], rnames: list[Token], used_l: set[int], used_r: set[int], pairs: list[Pair]
) -> None:
    """Once the rest of the name agrees, a leftover part on each side that is a
    few keystrokes apart is the same part mistyped (KING/KANG, OMRA/OMAR,
    STTRON/STRATON): a weaker likeness than a typo found on its own."""
    candidates = []
    for i, a in enumerate(lnames):
        if i in used_l:
            continue
        for j, b in enumerate(rnames):
            if j in used_r or part_similarity(a, b)[1].startswith("different names"):
                continue
            budget = context_budget(a.text, b.text)
            if not budget:
                continue
            edits = OSA.distance(a.text, b.text, score_cutoff=budget)
            if edits <= budget:
                candidates.append((edits, i, j))
    for _edits, i, j in sorted(candidates):
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        pairs.append(Pair(lnames[i], rnames[j], SIM_CONTEXT_TYPO, "typo (the rest agrees)"))
    left = [i for i in range(len(lnames)) if i not in used_l]
    right = [j for j in range(len(rnames)) if j not in used_r]
    if len(left) == 1 and len(right) == 1 and len(pairs) >= 2:
        # The last part left on each side of a name whose other parts all agree:
        # two typos, even at the first letter (HAGG / JANG SONG CHOL).
        a, b = lnames[left[0]], rnames[right[0]]
        if (
            min(len(a.text), len(b.text)) >= 4
            and not part_similarity(a, b)[1].startswith("different names")
            and OSA.distance(a.text, b.text, score_cutoff=2) <= 2
        ):
            used_l.add(left[0])
            used_r.add(right[0])
            pairs.append(Pair(a, b, SIM_LAST_PART, "typos (every other part agrees)"))
