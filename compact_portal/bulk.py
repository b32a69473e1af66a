"""What a row saved one by one sets off, for rows written together with ``bulk_create``.

``bulk_create`` sends no ``post_save``: the audit log (django-auditlog) records nothing, and the
receivers that drop kept figures when a row changes (monitoring's indicators, the reviews' change
tokens) do not run. :func:`bulk_created` does both after such an insert: one audit entry per row,
in one insert, and ``post_save`` once for the batch (see docs/decisions/0030).
"""

from collections.abc import Sequence

from auditlog import get_logentry_model
from auditlog.cid import get_cid
from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import Model
from django.db.models.signals import post_save


def log_created(instances: Sequence[Model], *, actor=None) -> list:
    """A "create" entry in the audit log for each of ``instances`` (saved: they have their pks), the
    entry auditlog's own ``post_save`` receiver writes (``LogEntry.objects.log_create``), all in one
    insert. Nothing for a model auditlog does not track.

    ``actor`` is who did it: in a request auditlog's middleware names the signed-in person; a task
    has no request and names them itself. Reading ``str(instance)`` must cost no query: load what it
    shows first."""
    if not instances:
        return []
    model = type(instances[0])
    if not auditlog.contains(model):
        return []
    log_entry = get_logentry_model()
    content_type = ContentType.objects.get_for_model(model)
    cid = get_cid()
    entries = []
    for instance in instances:
        changes = model_instance_diff(None, instance, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES)
        if not changes:
            continue
        get_additional_data = getattr(instance, "get_additional_data", None)
        entries.append(
            log_entry(
                content_type=content_type,
                object_pk=str(instance.pk),
                object_id=instance.pk if isinstance(instance.pk, int) else None,
                object_repr=str(instance),
                # As log_create does (None unless the model was registered with serialize_data).
                serialized_data=log_entry.objects._get_serialized_data_or_none(instance),
                action=log_entry.Action.CREATE,
                changes=changes,
                actor=actor,
                actor_email=getattr(actor, "email", None) if actor is not None else None,
                cid=cid,
                additional_data=get_additional_data() if callable(get_additional_data) else None,
            )
        )
    return log_entry.objects.bulk_create(entries)


def bulk_created(instances: Sequence[Model], *, actor=None) -> None:
    """After ``Model.objects.bulk_create(instances)``: their audit entries (:func:`log_created`),
    then ``post_save`` sent once, for the last of them (``created=True``), with auditlog's own
    receiver off (the entries are written already).

    The receivers of a model's ``post_save`` in this project drop what they keep whatever the row
    (monitoring's figures, the reviews' change tokens; the page cache watches the SQL itself): once
    a batch is enough. A receiver that needs every row must not be connected to a model written
    this way (decision 0030 lists which are)."""
    if not instances:
        return
    log_created(instances, actor=actor)
    last = instances[-1]
    with disable_auditlog():
        post_save.send(
            sender=type(last),
            instance=last,
            created=True,
            update_fields=None,
            raw=False,
            using=router.db_for_write(type(last), instance=last),
        )
