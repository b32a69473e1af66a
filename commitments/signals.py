"""What commitments tells the apps above it, which it does not import (they connect in their AppConfig).

``edition_replaced`` is sent by ``services.edition_publish`` inside its transaction when a newly
published edition takes the place of ``previous``; a receiver that raises undoes the publishing.
Arguments: ``previous``, ``new`` (the editions) and ``by`` (the user who published).
"""

from django.dispatch import Signal

edition_replaced = Signal()
