"""Reading a local Compact from plain text (shaped like the County Durham Compact).

The parser is a pure function of the text: it returns what it found or raises
CompactTextError listing every line it could not read. Saving is done by
commitments.services.edition_create_from_import, all or nothing.
"""

from dataclasses import dataclass, field


@dataclass
class ParsedUndertaking:
    number: str  # "2.4"
    sector: str  # signatories.models.Sector value: "public" or "vcs"
    text: str
    line: int  # 1-based line number where the undertaking starts


@dataclass
class ParsedOutcome:
    number: int
    title: str
    line: int
    undertakings: list[ParsedUndertaking] = field(default_factory=list)


@dataclass
class ParsedCompact:
    title: str
    introduction: str
    outcomes: list[ParsedOutcome]
    making_it_work: str = ""
    dispute_resolution: str = ""

    @property
    def undertakings(self) -> list[ParsedUndertaking]:
        return [u for outcome in self.outcomes for u in outcome.undertakings]

    def count_by_sector(self) -> dict[str, int]:
        counts = {"public": 0, "vcs": 0}
        for undertaking in self.undertakings:
            counts[undertaking.sector] += 1
        return counts


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


class CompactTextError(Exception):
    """The text could not be read; ``errors`` says which lines and why."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__("; ".join(f"line {e.line}: {e.message}" for e in errors))
