"""What funding tells the apps above it, which it does not import (docs/decisions/0016)."""

from django.dispatch import Signal

# Sent inside the transaction that records a new notice, with ``notice`` (disputes answers it: the
# guard against retaliation).
notice_recorded = Signal()
