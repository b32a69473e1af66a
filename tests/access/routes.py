"""Every route of the portal, read from the URL resolver (through every include and namespace)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name"; an unnamed route is "namespace:<its full pattern>"
    pattern: str  # the full pattern, e.g. "compacts/<slug:slug>/manage/"
    namespace: str  # "" at the top level
    name: str  # "" when unnamed

    @property
    def named(self) -> bool:
        return bool(self.name)


def _walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            namespace = ":".join(namespaces)
            label = entry.name or f"<{pattern}>"
            yield Route(
                key=f"{namespace}:{label}" if namespace else label,
                pattern=pattern,
                namespace=namespace,
                name=entry.name or "",
            )


def all_routes() -> list[Route]:
    return list(_walk(get_resolver(), "", ()))
