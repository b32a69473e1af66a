"""What the apps above funding add to a notice's page (decision 0016: a lower layer learns of a higher
one only through a registry or a signal).

A *coordinator note* is a callable ``(notice, user) -> list[CoordinatorNote]``: disputes registers the
guard against retaliation's flag, so the notice's page tells the Compact's coordinators it is flagged.
Each callable decides who may see its notes; funding shows whatever it is given, above the notice.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CoordinatorNote:
    text: str
    link_text: str
    url: str


_coordinator_notes: list[Callable] = []


def register_coordinator_note(source: Callable) -> None:
    if source not in _coordinator_notes:
        _coordinator_notes.append(source)


def coordinator_notes(notice, user) -> list[CoordinatorNote]:
    return [note for source in _coordinator_notes for note in source(notice, user)]
