"""Signals of breach concerns, for the apps above disputes (mediation answers ``case_moved``)."""

from django.dispatch import Signal

# Sent inside disputes.services.case_move, after the case is saved: ``case``, ``old_stage``, ``by``.
case_moved = Signal()
