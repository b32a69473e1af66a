"""What commitments tells the apps above it, which it does not import (they connect in their AppConfig).

``edition_replaced`` is sent by ``services.edition_publish`` inside its transaction when a newly
published edition takes the place of ``previous``; a receiver that raises undoes the publishing.
Arguments: ``previous``, ``new`` (the editions) and ``by`` (the user who published).

A receiver runs inside the coordinator's request: it does only a few queries, whatever the number
of signatories, and leaves the long work to a task queued once the publishing commits
(``transaction.on_commit``). It may return a sentence saying what it set off, or None; the
publish page shows those sentences (``Edition.follow_ups``, set by ``edition_publish``).
"""

from django.dispatch import Signal

edition_replaced = Signal()
