from django.dispatch import Signal

# Sent with ``letter`` (a PostedLetter) when Notify took it or a receipt gave it a new status.
letter_status_changed = Signal()

# Sent with ``email`` (lower case) when Notify first reports a permanent failure for that address.
address_bouncing = Signal()
