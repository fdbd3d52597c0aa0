"""The blocking index: which list names a traveller must be compared with.

Two levels, because names repeat: a list of a million entries holds perhaps
a hundred thousand distinct name parts.

1. The *vocabulary* level maps blocking keys of each distinct part
   (given-name class or skeleton, surname stem, metaphone, Arabic consonants,
   a five-letter prefix for truncations, one-deletion keys for typos) to the
   parts that carry them.  A traveller's part finds its similar list parts
   here, and :func:`~openpiu.screening.compare.part_similarity` confirms each,
   so key collisions cost nothing later.
2. The *posting* level maps each list part to the name readings that contain
   it.  Rare parts (short postings) give the candidates directly.  Parts so
   common that their postings pass ``common_cap`` (MUHAMMAD, ALI, KARIMOV in a
   large list) only count in pairs: readings holding two common parts are
   indexed once more under the pair, so "MUHAMMAD ALI" never walks a posting
   of a hundred thousand readings.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from openpiu.identity import normalise_document_number as normalise_document
from openpiu.screening.compare import (
    SIM_CONTEXT_TYPO,
    SIM_LAST_PART,
    context_budget,
    part_similarity,
)
from openpiu.screening.features import DEFAULT_KNOBS, Knobs
from openpiu.screening.scorer import PreparedEntry
from openpiu.screening.tokens import Reading, Token

PREFIX = 5  # letters of a part kept by the truncation key
COMMON_WEIGHT = 0.47  # parts weighing less count only in pairs (see module docstring)
MIN_DELETION = 4  # parts shorter than this get no typo keys (too many neighbours)


# Postings longer than this are also kept cut by birth year: a traveller born in
# 1985 then meets only the namesakes listed as born 1983-1987 (or with no date).
# A namesake born further away cannot reach the alert band (dob_disjoint), so
# with a list of a million entries it is not worth comparing; it still shows in
# the review band when its name is rare in the list (a posting of a few
# readings), where it costs nothing.  Measured on the million-entry list: 32
# gave 19 candidates per traveller and 17,400 review hits per 3,000 travellers,
# 8 gives 14 and 9,700, the alerts unchanged, for 45 MB more index.
YEAR_SPLIT = 8
YEAR_TOLERANCE = 2
MAX_RANGE_YEARS = 15


def _years_of(entry: PreparedEntry) -> tuple[int | None, ...]:
    years: set[int | None] = set()
    for dob in entry.entry.birth_dates:
        # "About 1965" counts +-2 and one more year at a small cost: filed under
        # 1964-1966, it meets travellers born 1962-1968 (YEAR_TOLERANCE 2).
        first = dob.year - 1 if dob.approximate else dob.year
        last = dob.year + 1 if dob.approximate else (dob.year_to or dob.year)
        years.update(range(first, min(last, first + MAX_RANGE_YEARS) + 1))
    return tuple(years) or (None,)


def _dob_window(entry: PreparedEntry) -> tuple[int, int]:
    """Birth years outside which the date-of-birth feature is surely ``dob_disjoint``:
    one year around an exact date or year, three around an approximate one (it
    counts +-2), one around a range; (0, 0) when no date is listed."""
    lo = hi = 0
    for dob in entry.entry.birth_dates:
        margin = 3 if dob.approximate else 1
        first, last = dob.year - margin, (dob.year_to or dob.year) + margin
        lo = first if not lo else min(lo, first)
        hi = max(hi, last)
    return lo, hi


def token_keys(token: Token, *, query: bool) -> Iterator[str]:
    """Blocking keys of one part.  ``query`` selects the lookup side of the
    asymmetric Arabic keys: a list part read from Arabic script is indexed by
    its consonants, which any traveller part looks up, and vice versa."""
    yield "g" + token.gk
    if token.stem != token.gk:
        yield "s" + token.stem
    if token.meta:
        yield "m" + token.meta
    if len(token.sk) >= PREFIX:
        yield "p" + token.sk[:PREFIX]
    if token.ck and len(token.ck) >= 3:
        if token.arabic:
            yield "A" + token.ck  # an Arabic-script part, looked up by consonants
        if query or not token.arabic:
            yield ("a" if query else "c") + token.ck
    for base in {token.stem, token.text}:
        if len(base) >= MIN_DELETION:
            yield "d" + base
            for i in range(len(base)):
                yield "d" + base[:i] + base[i + 1 :]


def _lookup_keys(token: Token) -> Iterator[str]:
    for key in token_keys(token, query=True):
        if key[0] == "a":
            # A traveller part meets Arabic-script list parts on consonants,
            # and an Arabic-script traveller part meets every list part on them.
            yield "A" + key[1:]
            if token.arabic:
                yield "c" + key[1:]
        else:
            yield key


@dataclass(slots=True)
class IndexStats:
    entries: int = 0
    readings: int = 0
    vocabulary: int = 0
    keys: int = 0
    postings: int = 0
    pair_postings: int = 0
    common_parts: int = 0


class BlockingIndex:
    """In-memory candidate retrieval over prepared entries (see module docstring)."""

    def __init__(self, prepared: Iterable[PreparedEntry], *, common_cap: int = 1000) -> None:
        self.common_cap = common_cap
        self.entries: list[PreparedEntry] = []
        # Reading id -> (entry index, name index): arrays keep a million cheap.
        self._reading_entry = array("I")
        self._reading_name = array("H")
        # Per reading: total weight of its name parts (for the bound).
        self._reading_weight = array("f")
        self._reading_names: list[tuple[Token, ...]] = []  # the parts of each reading
        postings: dict[Token, list[int]] = defaultdict(list)
        self._documents: dict[str, list[int]] = defaultdict(list)
        # Birth years per entry, needed only while the postings are cut by year.
        entry_years: list[tuple[int | None, ...]] = []
        # Per entry: earliest and latest listed birth year (0: none listed).
        self._year_lo = array("H")
        self._year_hi = array("H")
        for e_idx, entry in enumerate(prepared):
            self.entries.append(entry)
            years = _years_of(entry)
            entry_years.append(years)
            lo, hi = _dob_window(entry)
            self._year_lo.append(lo)
            self._year_hi.append(hi)
            for doc in entry.entry.documents:
                if doc.normalised:
                    self._documents[doc.normalised].append(e_idx)
            for n_idx, name in enumerate(entry.names):
                r_id = len(self._reading_entry)
                self._reading_entry.append(e_idx)
                self._reading_name.append(min(n_idx, 65535))
                # A patronymic left over costs the scorer little: counted as
                # nothing here, so the bound stays above the score.
                self._reading_weight.append(
                    sum(t.weight for t in name.reading.names if not t.patronymic)
                )
                self._reading_names.append(name.reading.names)
                for token in set(name.reading.names):
                    postings[token].append(r_id)
        self._postings = {t: array("I", ids) for t, ids in postings.items()}
        self._postings_by_year = {t: self._split_by_year(ids, entry_years)
                                  for t, ids in postings.items()
                                  if len(ids) > YEAR_SPLIT}  # fmt: skip
        # Common parts: long postings, or names so frequent (MUHAMMAD, ALI)
        # that they are weak evidence alone; they are looked up in pairs only.
        self._common = {
            t
            for t, ids in self._postings.items()
            if len(ids) > common_cap or t.weight < COMMON_WEIGHT
        }
        # Most keys (typo keys above all) belong to one part: the part itself is
        # the value then, a list only for shared keys (some 250 MB less for a
        # million entries).
        vocab: dict[str, Token | list[Token]] = {}
        for token in self._postings:
            for key in set(token_keys(token, query=False)):
                held = vocab.get(key)
                if held is None:
                    vocab[key] = token
                elif isinstance(held, list):
                    held.append(token)
                else:
                    vocab[key] = [held, token]
        self._vocab = vocab
        self._pairs: dict[tuple[Token, Token], array[int]] = {}
        if self._common:
            self._build_pairs(entry_years)
        self._similar_cache: dict[Token, tuple[tuple[Token, float], ...]] = {}
        # Per traveller part, per list part (nested, not keyed by pairs: see
        # compare.part_similarity).
        self._fallback_cache: dict[Token, dict[Token, tuple[float, bool]]] = {}
        self._pairable_memo: dict[Token, tuple[set[Token], set[Token]]] = {}
        self.stats = IndexStats(
            entries=len(self.entries), readings=len(self._reading_entry),
            vocabulary=len(self._postings), keys=len(self._vocab),
            postings=sum(len(p) for p in self._postings.values()),
            pair_postings=sum(len(p) for p in self._pairs.values()),
            common_parts=len(self._common),
        )  # fmt: skip

    def _build_pairs(self, entry_years: list[tuple[int | None, ...]]) -> None:
        pairs: dict[tuple[Token, Token], list[int]] = defaultdict(list)
        for r_id in range(len(self._reading_entry)):
            tokens = self._reading_names[r_id]
            common = sorted({t for t in tokens if t in self._common}, key=lambda t: t.text)
            for i, a in enumerate(common):
                for b in common[i + 1 :]:
                    pairs[(a, b)].append(r_id)
        self._pairs = {k: array("I", v) for k, v in pairs.items()}
        self._pairs_by_year = {k: self._split_by_year(v, entry_years) for k, v in pairs.items()
                               if len(v) > YEAR_SPLIT}  # fmt: skip

    def _split_by_year(self, ids: list[int], entry_years: list[tuple[int | None, ...]]
                       ) -> dict[int | None, array[int]]:
        """A long posting cut by the entries' birth years (None: no date listed)."""
        split: dict[int | None, list[int]] = defaultdict(list)
        for r_id in ids:
            for year in entry_years[self._reading_entry[r_id]]:
                split[year].append(r_id)
        return {year: array("I", r) for year, r in split.items()}

    @staticmethod
    def _ids(
        whole: Iterable[int],
        by_year: dict[int | None, array[int]] | None,
        years: tuple[int, ...] | None,
    ) -> Iterable[int]:
        """A posting, cut to the traveller's birth years (+-2) when it is long."""
        if by_year is None or years is None:
            return whole
        out: list[int] = list(by_year.get(None, ()))
        for year in years:
            out.extend(by_year.get(year, ()))
        return out

    def entries_of(self, token: Token) -> set[int]:
        """Indices of the entries holding this list part."""
        return {self._reading_entry[r] for r in self._postings.get(token, ())}

    def is_common(self, token: Token) -> bool:
        """A part looked up only in pairs (see the module docstring)."""
        return token in self._common

    def similar(self, token: Token, *, remember: bool = True) -> tuple[tuple[Token, float], ...]:
        """List parts similar to a traveller part (confirmed by the part comparison);
        ``remember=False`` for a one-off lookup (a sweep over stored travellers)."""
        found = self._similar_cache.get(token)
        if found is None:
            seen: set[Token] = set()
            out = []
            vocab = self._vocab
            for key in _lookup_keys(token):
                held = vocab.get(key)
                if held is None:
                    continue
                parts: list[Token] | tuple[Token] = held if isinstance(held, list) else (held,)
                for other in parts:
                    if other not in seen:
                        seen.add(other)
                        sim, _ = part_similarity(token, other)
                        if sim > 0.0:
                            out.append((other, sim))
            found = tuple(out)
            if remember:
                if len(self._similar_cache) > 200_000:
                    self._similar_cache.clear()
                self._similar_cache[token] = found
        return found

    def candidates(
        self,
        readings: Iterable[Reading],
        doc_number: str | None = None,
        knobs: Knobs = DEFAULT_KNOBS,
        birth_year: int | None = None,
        floor: float | None = None,
    ) -> dict[int, set[int]]:
        """Entry index -> the name indices worth scoring (empty set: document only).

        A reading is kept only when an upper bound of its name score (the parts
        found here, the unmatched parts of both sides costed as the scorer
        does, the best qualifiers added) can reach the review band; this is
        what keeps the scorer's work to a few names per traveller.
        """
        out: dict[int, set[int]] = defaultdict(set)
        bonus = knobs.dob_exact + knobs.nationality_match
        # The score a reading must be able to reach: the review band, or higher for a
        # caller that wants only stronger hits (fewer readings survive the bound).
        floor = knobs.review if floor is None else max(floor, knobs.review)
        years = (
            None
            if birth_year is None
            else tuple(range(birth_year - YEAR_TOLERANCE, birth_year + YEAR_TOLERANCE + 1))
        )
        for reading in readings:
            self._bound_readings(reading, knobs, birth_year, years, bonus, floor, out)
        if doc_number:
            for e_idx in self._documents.get(normalise_document(doc_number), ()):
                out.setdefault(e_idx, set())
        return out

    def _bound_readings(self, reading: Reading, knobs: Knobs, birth_year: int | None,
                        years: tuple[int, ...] | None, bonus: float, floor: float,
                        out: dict[int, set[int]]) -> None:
        """Add to ``out`` the list readings whose score bound reaches the review band.

        Per traveller part, the readings holding a similar list part are gathered
        as dictionaries (``dict.fromkeys`` over a posting: no Python loop per
        reading).  A reading met through one part only is bounded once per list
        part, optimistically; only readings met through two parts, or through a
        part whose optimistic bound passes, are bounded one by one.
        """
        names = reading.names
        q_total = sum(_cost(t, knobs) for t in names)
        # Per traveller part: (contribution, pair weight, part weight, list part
        # weight) and the posting it applies to, for each similar list part.
        offers: list[list[tuple[tuple[float, float, float, float], Iterable[int]]]] = [
            [] for _ in names
        ]
        common_hits: list[tuple[int, list[tuple[Token, float]]]] = []
        for i, token in enumerate(names):
            common = []
            for other, sim in self.similar(token):
                if other in self._common:
                    common.append((other, sim))
                    continue
                ids = self._ids(self._postings[other], self._postings_by_year.get(other), years)
                offers[i].append((_value(token, other, sim, knobs), ids))
            if common:
                common_hits.append((i, common))
        # Common parts count only in pairs (a reading holding both).
        for n, (i, left) in enumerate(common_hits):
            for j, right in common_hits[n + 1 :]:
                for a, sim_a in left:
                    for b, sim_b in right:
                        key = (a, b) if a.text <= b.text else (b, a)
                        ids = self._ids(self._pairs.get(key, ()), self._pairs_by_year.get(key),
                                        years)  # fmt: skip
                        if ids:
                            offers[i].append((_value(names[i], a, sim_a, knobs), ids))
                            offers[j].append((_value(names[j], b, sim_b, knobs), ids))
        # A reading found through one part may hold another of the traveller's
        # parts unseen here: a common part (looked up in pairs only) or a
        # likeness no key finds.  The first cut assumes every other part is
        # there; such "loose" readings are then kept only when one of their
        # own parts can pair with one of the traveller's (a set test per
        # reading), and those, with the readings met through two parts, are
        # bounded one by one.
        total_weight = sum(t.weight for t in names)
        alone_cost = knobs.weak_single if len(names) > 1 else 0.0
        need = floor - bonus
        ul = knobs.unmatched_left
        common_offers = {
            i: {other: _value(names[i], other, sim, knobs) for other, sim in similar}
            for i, similar in common_hits
        }
        found: list[dict[int, tuple[float, float, float, float]]] = []
        check: set[int] = set()
        loose: set[int] = set()
        seen: set[int] = set()
        for i, offered in enumerate(offers):
            offered.sort(key=lambda o: o[0][0])  # the best offer last: it wins the update
            hits: dict[int, tuple[float, float, float, float]] = {}
            others = total_weight - names[i].weight  # the traveller's other parts
            for value, ids in offered:
                hits.update(dict.fromkeys(ids, value))
                # The best bound of a reading met through part i only: its other
                # parts absent from the list side ("alone"), or all there.
                contribution, weight, left_weight, _right = value
                den = weight + ul * max(0.0, q_total - left_weight)
                if den and contribution / den + alone_cost >= need:
                    check.update(ids)  # enough alone
                    continue
                den = weight + others + ul * max(0.0, q_total - left_weight - others)
                if len(names) > 1 and den and (contribution + others) / den >= need:
                    loose.update(ids)
            check |= seen & hits.keys()  # met through two parts
            seen |= hits.keys()
            found.append(hits)
        loose -= check
        if loose:
            check |= self._pairable(loose, names, found, common_offers, knobs)
        weights = self._reading_weight
        names_of = self._reading_names
        fallback = self._fallback
        for r_id in check:
            parts = [(i, hits[r_id]) for i, hits in enumerate(found) if r_id in hits]
            num = den = matched_right = matched_left = 0.0
            for _i, (contribution, weight, left_weight, right_weight) in parts:
                num += contribution
                den += weight
                matched_left += left_weight
                matched_right += right_weight
            extra = 0
            if len(parts) < len(names):
                listed = names_of[r_id]
                for i, token in enumerate(names):
                    if any(i == k for k, _v in parts):
                        continue
                    near = common_offers.get(i)
                    best = None
                    if near:
                        best = max((near[t] for t in listed if t in near), default=None)
                    if best is None:
                        # A likeness no key finds: the comparison itself, or a
                        # leftover pair a few keystrokes apart (MAHMUD / MAHMAI).
                        agreeing = len(parts) + extra
                        for other in listed:
                            offer = fallback(token, other, knobs, agreeing)
                            if offer is not None and (best is None or offer[0] > best[0]):
                                best = offer
                    if best is not None:
                        num += best[0]
                        den += best[1]
                        matched_left += best[2]
                        matched_right += best[3]
                        extra += 1
            den += knobs.unmatched_left * (q_total - matched_left)
            den += knobs.unmatched_right * max(0.0, weights[r_id] - matched_right)
            bound = num / den if den else 0.0
            if len(parts) + extra == 1 and len(names) > 1:
                bound += knobs.weak_single
            elif len(names) == 1 and len(names_of[r_id]) > 1:
                bound += max(knobs.weak_single, knobs.weak_mononym)
            if birth_year is not None:
                e_idx = self._reading_entry[r_id]
                lo = self._year_lo[e_idx]
                if lo and not lo <= birth_year <= self._year_hi[e_idx]:
                    bound += knobs.dob_disjoint  # born far from every listed date
            if bound + bonus >= floor:
                out[self._reading_entry[r_id]].add(self._reading_name[r_id])

    def _pairable(self, loose: set[int], names: tuple[Token, ...],
                  found: list[dict[int, tuple[float, float, float, float]]],
                  common_offers: dict[int, dict[Token, tuple[float, float, float, float]]],
                  knobs: Knobs) -> set[int]:
        """The loose readings holding a part that may pair with a traveller part
        which did not find them (see ``_bound_readings``)."""
        names_of = self._reading_names
        listed = {r_id: names_of[r_id] for r_id in loose}
        distinct: set[Token] = set().union(*listed.values())
        out: set[int] = set()
        for i, token in enumerate(names):
            # Which list parts may pair with this traveller part, remembered per
            # part: set operations then do the work for each reading.
            checked, good = self._pairable_memo.setdefault(token, (set(), set()))
            for other in distinct - checked:
                checked.add(other)
                if self._fallback(token, other, knobs, 2) is not None:
                    good.add(other)
            pairable = distinct & good
            near = common_offers.get(i)
            if near:
                pairable |= distinct.intersection(near)
            if pairable:
                hits = found[i]
                out.update(r_id for r_id, parts in listed.items()
                           if r_id not in hits and not pairable.isdisjoint(parts))  # fmt: skip
        if len(self._pairable_memo) > 50_000:
            self._pairable_memo.clear()
        return out

    def _fallback(self, token: Token, other: Token, knobs: Knobs, agreeing: int
                  ) -> tuple[float, float, float, float] | None:
        """The likeness the scorer may give two parts that no key paired: the
        part comparison itself, a typo in context (the rest of the name agrees),
        or, with two parts agreeing, the last part left over.  Remembered per
        pair of parts: the same given names meet again and again."""
        known = self._fallback_cache.get(token)
        if known is None:
            if len(self._fallback_cache) > 50_000:
                self._fallback_cache.clear()
            known = self._fallback_cache[token] = {}
        found = known.get(other)
        if found is None:
            a, b = token.text, other.text
            sim = part_similarity(token, other)[0]
            if not sim:
                budget = context_budget(a, b)
                if budget and OSA.distance(a, b, score_cutoff=budget) <= budget:
                    sim = SIM_CONTEXT_TYPO
            last = min(len(a), len(b)) >= 4 and OSA.distance(a, b, score_cutoff=2) <= 2
            found = known[other] = (sim, last)
        sim, last = found
        if not sim and last and agreeing >= 2:
            sim = SIM_LAST_PART
        return _value(token, other, sim, knobs) if sim else None



def _cost(token: Token, knobs: Knobs) -> float:
    """A traveller part's weight as the scorer costs it when it is left over."""
    return token.weight * (knobs.patronymic if token.patronymic else 1.0)


def _value(token: Token, other: Token, sim: float, knobs: Knobs
           ) -> tuple[float, float, float, float]:
    weight = min(token.weight, other.weight)  # as the scorer weighs a pair
    return (weight * sim, weight, _cost(token, knobs), other.weight)
