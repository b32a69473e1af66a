from django.db.backends.signals import connection_created

from compact_portal.celery import app as celery_app

__all__ = ("celery_app",)


def _watch_writes(sender, connection, **kwargs) -> None:
    """Every process (web, worker, commands) tells the public page cache of its writes."""
    from compact_portal.pagecache import watch

    watch(connection)


connection_created.connect(_watch_writes, dispatch_uid="compact_portal.pagecache")
