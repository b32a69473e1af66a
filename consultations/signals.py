"""What consultations tells the apps above it, which it does not import (docs/decisions/0016)."""

from django.dispatch import Signal

# Sent inside the transaction that records an AlertStop, with ``alert_stop``: the running body
# stopped a consultation's alerts to an organisation (disputes answers it: the guard against
# retaliation).
alerts_stopped = Signal()
