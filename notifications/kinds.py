"""The kinds of notification the apps registered, as the preferences page and ``notify`` use them.

Each app declares its own kinds, with their groups, labels and email templates, and registers them
in its ``AppConfig.ready()`` (see :mod:`notifications.registry`). Sending a kind no app registered
raises :class:`notifications.registry.UnknownKind`.
"""

from notifications.registry import Group, Kind, UnknownKind, groups, kind, kinds

__all__ = ["Group", "Kind", "UnknownKind", "groups", "is_switchable", "kind", "kinds", "switchable_kinds"]


def is_switchable(code: str) -> bool:
    """Whether a person may stop the emails of this kind; :class:`UnknownKind` if none has this code."""
    return kind(code).switchable


def switchable_kinds(group: str | None = None) -> list[Kind]:
    return [k for k in kinds() if k.switchable and (group is None or k.group == group)]
