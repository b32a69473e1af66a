"""How two editions differ: pure functions of their text, no database.

Undertakings, principles and codes of practice are matched by their words, not their numbers or
positions: identical text first (so a renumbered undertaking shows as moved), then the most
similar pair above ``SIMILAR_ENOUGH`` within the same sector (so a reworded one shows side by side
with its words marked), greedily from the most similar pair down. What is left was added or
removed. A sector is an opaque value here: any number of sectors compare the same way.
"""

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Two texts this similar (difflib's ratio on their words) are one text reworded.
SIMILAR_ENOUGH = 0.6
# ... or this similar when they also keep the same number and sector (a short text reworded).
SIMILAR_ENOUGH_IN_PLACE = 0.4
# difflib's word matching takes time in proportion to len(old) × len(new) words at worst: past this
# many, two texts (a very long introduction, say) are shown whole as removed and added, and
# ``ratio`` uses difflib's linear upper bound, so the public compare page stays quick.
MAX_DIFF_WORK = 1_000_000

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
MOVED = "moved"
UNCHANGED = "unchanged"


def words(text: str) -> list[str]:
    return text.split()


def same_words(a: str, b: str) -> bool:
    """White space alone is not a change."""
    return words(a) == words(b)


@dataclass(frozen=True)
class WordDiff:
    """The old text with removed words in <del>, the new one with added words in <ins>; escaped.

    Each marked run starts with visually hidden "removed:" or "added:" for screen readers, which
    do not announce <del> and <ins> by default."""

    before: SafeString
    after: SafeString


def word_diff(old: str, new: str) -> WordDiff:
    old_words, new_words = words(old), words(new)
    before: list[str] = []
    after: list[str] = []
    removed_label = escape(_("removed:"))
    added_label = escape(_("added:"))
    if len(old_words) * len(new_words) > MAX_DIFF_WORK:
        opcodes = [("replace", 0, len(old_words), 0, len(new_words))]
    else:
        opcodes = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes()
    for op, a1, a2, b1, b2 in opcodes:
        old_run = escape(" ".join(old_words[a1:a2]))
        new_run = escape(" ".join(new_words[b1:b2]))
        if op == "equal":
            before.append(old_run)
            after.append(new_run)
            continue
        if a2 > a1:
            before.append(
                f'<del class="app-diff__removed"><span class="govuk-visually-hidden">{removed_label} </span>'
                f"{old_run}</del>"
            )
        if b2 > b1:
            after.append(
                f'<ins class="app-diff__added"><span class="govuk-visually-hidden">{added_label} </span>{new_run}</ins>'
            )
    # Every piece of text above is escaped.
    return WordDiff(before=mark_safe(" ".join(before)), after=mark_safe(" ".join(after)))  # noqa: S308


def bounded_ratio(matcher: difflib.SequenceMatcher) -> float:
    """difflib's ratio, or its linear upper bound (quick_ratio) when the texts are too long to match."""
    if len(matcher.a) * len(matcher.b) > MAX_DIFF_WORK:
        return matcher.quick_ratio()
    return matcher.ratio()


def similarity(old: str, new: str) -> float:
    return bounded_ratio(difflib.SequenceMatcher(a=words(old), b=words(new), autojunk=False))


def pair_up(
    old: Sequence[tuple[str, str]],
    new: Sequence[tuple[str, str]],
    *,
    threshold: float = SIMILAR_ENOUGH,
    old_keys: Sequence[str] = (),
    new_keys: Sequence[str] = (),
) -> list[tuple[int | None, int | None]]:
    """Pairs of indexes (old, new) for items given as (group, text); None on one side when unmatched.

    Identical words first, preferring the same group; then, within one group, the most similar
    pairs above ``threshold``, greedily; then items left with the same key (an undertaking's
    number) in the same group, when at least ``SIMILAR_ENOUGH_IN_PLACE`` alike. At worst
    len(old) × len(new) similarity measures, each skipped when difflib's cheap upper bounds already
    fall below the threshold."""
    pairs: list[tuple[int, int]] = []
    old_free = set(range(len(old)))
    new_free = set(range(len(new)))

    def match_exact(same_group: bool) -> None:
        by_text: dict[tuple, list[int]] = defaultdict(list)
        for i in sorted(old_free):
            group, text = old[i]
            by_text[(group if same_group else None, tuple(words(text)))].append(i)
        for j in sorted(new_free):
            group, text = new[j]
            candidates = by_text.get((group if same_group else None, tuple(words(text))))
            if candidates:
                i = candidates.pop(0)
                pairs.append((i, j))
                old_free.discard(i)
                new_free.discard(j)

    match_exact(same_group=True)
    match_exact(same_group=False)

    scored: list[tuple[float, int, int]] = []
    old_words = {i: words(old[i][1]) for i in old_free}
    for j in sorted(new_free):
        group, text = new[j]
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(words(text))  # difflib caches what it learns about the second sequence
        for i in sorted(old_free):
            if old[i][0] != group:
                continue
            matcher.set_seq1(old_words[i])
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = bounded_ratio(matcher)
            if ratio >= threshold:
                scored.append((ratio, i, j))
    for _ratio, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if i in old_free and j in new_free:
            pairs.append((i, j))
            old_free.discard(i)
            new_free.discard(j)

    if old_keys and new_keys:
        old_by_key = {(old[i][0], old_keys[i]): i for i in old_free}
        for j in sorted(new_free):
            i = old_by_key.get((new[j][0], new_keys[j]))
            if i is not None and similarity(old[i][1], new[j][1]) >= SIMILAR_ENOUGH_IN_PLACE:
                pairs.append((i, j))
                old_free.discard(i)
                new_free.discard(j)

    pairs.extend((i, None) for i in sorted(old_free))
    pairs.extend((None, j) for j in sorted(new_free))
    return pairs


def undertaking_number_key(number: str) -> tuple[int, ...]:
    """Sorts undertaking numbers numerically: 2.9 before 2.10."""
    return tuple(int(part) if part.isdigit() else 0 for part in number.split("."))


@dataclass(frozen=True)
class UndertakingChange:
    old_number: str
    new_number: str
    change: str  # added, removed, changed (reworded), moved (same words, new number) or unchanged
    old_text: str
    new_text: str
    old_sector: str
    new_sector: str

    @property
    def number(self) -> str:
        return self.new_number or self.old_number

    @property
    def renumbered(self) -> bool:
        return bool(self.old_number and self.new_number and self.old_number != self.new_number)

    @property
    def sector_changed(self) -> bool:
        return bool(self.old_number and self.new_number and self.old_sector != self.new_sector)

    @property
    def new_sector_label(self) -> str:
        """Who makes it now ("Both sectors" for a joint undertaking); empty when it was removed."""
        from commitments.models import UndertakingSector

        return str(UndertakingSector(self.new_sector).label) if self.new_sector else ""

    @property
    def diff(self) -> WordDiff:
        return word_diff(self.old_text, self.new_text)


def compare_undertakings(old: list[tuple[str, str, str]], new: list[tuple[str, str, str]]) -> list[UndertakingChange]:
    """Compare two editions' undertakings, given as (number, sector, text), matched by their words."""
    rows = []
    pairs = pair_up(
        [(s, t) for _n, s, t in old],
        [(s, t) for _n, s, t in new],
        old_keys=[n for n, _s, _t in old],
        new_keys=[n for n, _s, _t in new],
    )
    for i, j in pairs:
        old_number, old_sector, old_text = old[i] if i is not None else ("", "", "")
        new_number, new_sector, new_text = new[j] if j is not None else ("", "", "")
        if i is None:
            change = ADDED
        elif j is None:
            change = REMOVED
        elif not same_words(old_text, new_text) or old_sector != new_sector:
            change = CHANGED
        elif old_number != new_number:
            change = MOVED
        else:
            change = UNCHANGED
        rows.append(UndertakingChange(old_number, new_number, change, old_text, new_text, old_sector, new_sector))
    # In the new edition's order; a removed undertaking where it used to be.
    rows.sort(key=lambda r: (undertaking_number_key(r.number), r.change == REMOVED))
    return rows


def change_summary(changes: list[UndertakingChange]) -> dict[str, int]:
    """How many undertakings were added, removed, changed, moved and left unchanged."""
    summary = dict.fromkeys((ADDED, REMOVED, CHANGED, MOVED, UNCHANGED), 0)
    for change in changes:
        summary[change.change] += 1
    return summary


@dataclass(frozen=True)
class PartChange:
    """A principle or a code of practice: a title and a text, matched by their words."""

    change: str  # added, removed, changed or unchanged
    old_title: str
    new_title: str
    old_text: str
    new_text: str

    @property
    def title(self) -> str:
        return self.new_title or self.old_title

    @property
    def title_diff(self) -> WordDiff:
        return word_diff(self.old_title, self.new_title)

    @property
    def diff(self) -> WordDiff:
        return word_diff(self.old_text, self.new_text)


def compare_parts(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[PartChange]:
    """Compare principles or codes of practice given as (title, text): the new edition's in its
    order, then the ones it removed.

    Titles match first (a principle keeps its name when its meaning is reworded); then title and
    text together by similarity."""
    rows: list[tuple[tuple[int, int], PartChange]] = []
    by_title = pair_up([("", t) for t, _x in old], [("", t) for t, _x in new], threshold=1.1)
    matched = [(i, j) for i, j in by_title if i is not None and j is not None]
    old_left = [i for i, j in by_title if j is None]
    new_left = [j for i, j in by_title if i is None]
    rest = pair_up(
        [("", f"{old[i][0]} {old[i][1]}") for i in old_left],
        [("", f"{new[j][0]} {new[j][1]}") for j in new_left],
    )
    for a, b in rest:
        matched.append((old_left[a] if a is not None else None, new_left[b] if b is not None else None))
    for i, j in matched:
        old_title, old_text = old[i] if i is not None else ("", "")
        new_title, new_text = new[j] if j is not None else ("", "")
        if i is None:
            change = ADDED
        elif j is None:
            change = REMOVED
        elif same_words(old_title, new_title) and same_words(old_text, new_text):
            change = UNCHANGED
        else:
            change = CHANGED
        order = (0, j) if j is not None else (1, i)
        rows.append((order, PartChange(change, old_title, new_title, old_text, new_text)))
    return [row for _order, row in sorted(rows, key=lambda r: r[0])]


@dataclass(frozen=True)
class TextChange:
    """One of the edition's texts (introduction, making it work, resolving differences)."""

    label: str
    change: str  # added, removed, changed or unchanged
    old_text: str
    new_text: str

    @property
    def diff(self) -> WordDiff:
        return word_diff(self.old_text, self.new_text)


def compare_text(label: str, old: str, new: str) -> TextChange:
    if same_words(old, new):
        change = UNCHANGED
    elif not old.strip():
        change = ADDED
    elif not new.strip():
        change = REMOVED
    else:
        change = CHANGED
    return TextChange(label, change, old, new)


@dataclass(frozen=True)
class LimitChange:
    """A time limit the edition sets: minimum weeks, months or working days."""

    label: str
    old_value: int
    new_value: int

    @property
    def changed(self) -> bool:
        return self.old_value != self.new_value


@dataclass
class Comparison:
    undertakings: list[UndertakingChange]
    principles: list[PartChange]
    codes: list[PartChange]
    texts: list[TextChange]
    limits: list[LimitChange]
    summary: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.summary = change_summary(self.undertakings)

    @property
    def changed_limits(self) -> list[LimitChange]:
        return [limit for limit in self.limits if limit.changed]

    @property
    def changed_texts(self) -> list[TextChange]:
        return [text for text in self.texts if text.change != UNCHANGED]

    @property
    def changed_principles(self) -> list[PartChange]:
        return [part for part in self.principles if part.change != UNCHANGED]

    @property
    def changed_codes(self) -> list[PartChange]:
        return [part for part in self.codes if part.change != UNCHANGED]

    @property
    def anything_beyond_undertakings(self) -> bool:
        return bool(self.changed_limits or self.changed_texts or self.changed_principles or self.changed_codes)


@dataclass(frozen=True)
class MissingPart:
    """A part the current edition has and the draft would publish without."""

    key: str
    label: str
    current_count: int  # how many (principles, codes); 1 for a text

    @property
    def warning(self) -> str:
        n = self.current_count
        if self.key == "principles":
            return ngettext(
                "The current edition has %(n)s principle; this draft has none.",
                "The current edition has %(n)s principles; this draft has none.",
                n,
            ) % {"n": n}
        if self.key == "codes":
            return ngettext(
                "The current edition has %(n)s code of practice; this draft has none.",
                "The current edition has %(n)s codes of practice; this draft has none.",
                n,
            ) % {"n": n}
        return _("The current edition has a section ‘%(part)s’; in this draft it is empty.") % {"part": self.label}

    @property
    def choice(self) -> str:
        n = self.current_count
        if self.key == "principles":
            return ngettext(
                "Copy the current edition’s principle into this draft",
                "Copy the current edition’s %(n)s principles into this draft",
                n,
            ) % {"n": n}
        if self.key == "codes":
            return ngettext(
                "Copy the current edition’s code of practice into this draft",
                "Copy the current edition’s %(n)s codes of practice into this draft",
                n,
            ) % {"n": n}
        return _("Copy the current edition’s section ‘%(part)s’ into this draft") % {"part": self.label}


def missing_parts(*, current: dict[str, int], draft: dict[str, int], labels: dict[str, str]) -> list[MissingPart]:
    """The parts (by key, in ``labels``' order) that the current edition has and the draft has none of."""
    return [
        MissingPart(key, label, current.get(key, 0))
        for key, label in labels.items()
        if current.get(key, 0) > 0 and draft.get(key, 0) == 0
    ]
