"""The review's charts: SVG drawn by pygal on the server, cleaned, and put inline in the page and PDF.

pygal's output is never trusted as it is: it is parsed and rebuilt keeping only the drawing
elements and attributes on an allow-list (no script, no ``style`` element or attribute, no event
handler, no link), so it passes the Content-Security-Policy (no inline script or style) and carries
nothing a label could have smuggled in. Every label is text of an element, escaped when written.
The look comes from our stylesheets (``static/reviews/charts.css`` for the page, the PDF's own),
which also keep the chart readable in high contrast (forced colours). Each chart gets its own
``<title>`` and ``<desc>``, ``role="img"`` and ``aria-labelledby``; its data table sits beside it.
"""

import xml.etree.ElementTree as ET  # noqa: S405 (parses pygal's output, which we made, not input)
from dataclasses import dataclass

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from monitoring.indicators import PERCENT

SVG = "http://www.w3.org/2000/svg"
ALLOWED_ELEMENTS = {"svg", "g", "path", "rect", "circle", "line", "polyline", "polygon", "text", "tspan"}
ALLOWED_ATTRIBUTES = {
    "class",
    "d",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "width",
    "height",
    "viewBox",
    "transform",
    "points",
    "text-anchor",
}


@dataclass(frozen=True)
class Chart:
    key: str  # the id of the SVG (and, with -title/-desc, of its title and description)
    title: str
    description: str
    svg: SafeString


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _clean(element, parent) -> None:
    for child in element:
        name = _tag(child)
        if name not in ALLOWED_ELEMENTS:
            continue
        copy = ET.SubElement(parent, name, {k: v for k, v in child.attrib.items() if k in ALLOWED_ATTRIBUTES})
        copy.text = child.text
        _clean(child, copy)
        copy.tail = child.tail


# The PDF's charts carry their look inside them: WeasyPrint draws an inline SVG from the SVG's own
# styles, not the HTML's stylesheet. Our text, fixed: nothing of pygal's or of the data is in it.
PRINT_CSS = (
    "text{fill:#0b0c0c;font-family:'DejaVu Sans',sans-serif;font-size:12px}"
    ".axis.y text{text-anchor:end}.axis.x text{text-anchor:middle}.background{fill:none}"
    ".axis .line{stroke:#0b0c0c;stroke-width:1;fill:none}"
    ".axis .guide.line{stroke:#b1b4b6;stroke-width:1;fill:none}"
    ".series .line{stroke:#1d70b8;stroke-width:3;fill:none}.dot{fill:#1d70b8;stroke:#1d70b8}"
    ".bar .rect{fill:#1d70b8;stroke:none}.tooltip,.titles{display:none}"
)


def sanitised(svg: bytes | str, *, key: str, title: str, description: str, print_css: bool = False) -> SafeString:
    """pygal's SVG rebuilt from the allow-list, with our title, description and ARIA (and, for the
    PDF, ``PRINT_CSS``; a page's CSP allows no style element, so the page's charts take
    static/reviews/charts.css)."""
    source = ET.fromstring(svg)  # noqa: S314 (our own pygal output, see above)
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG,
            "id": key,
            "class": "app-chart",
            "viewBox": source.get("viewBox", ""),
            "role": "img",
            "aria-labelledby": f"{key}-title {key}-desc",
            "focusable": "false",
        },
    )
    ET.SubElement(root, "title", {"id": f"{key}-title"}).text = str(title)
    ET.SubElement(root, "desc", {"id": f"{key}-desc"}).text = str(description)
    if print_css:
        ET.SubElement(root, "style").text = PRINT_CSS
    _clean(source, root)
    return mark_safe(ET.tostring(root, encoding="unicode", short_empty_elements=True))  # noqa: S308 (rebuilt and escaped above)


def _config(chart_class, **options):
    return chart_class(
        js=[],
        css=[],
        no_prefix=True,
        disable_xml_declaration=True,
        explicit_size=False,
        show_legend=options.pop("show_legend", False),
        width=options.pop("width", 640),
        height=options.pop("height", 320),
        margin=12,
        margin_right=options.pop("margin_right", 28),
        **options,
    )


def trend_chart(
    *,
    key: str,
    title: str,
    description: str,
    labels: list[str],
    values: list[float | None],
    percent: bool,
    print_css: bool = False,
) -> Chart:
    """A line of one measure over the years (a gap where there is no figure or it is withheld)."""
    options = {"range": (0, 100)} if percent else {}
    chart = _config(pygal.Line, x_labels=labels, show_y_guides=True, dots_size=5, **options)
    chart.add(str(title), [None if value is None else round(value, 1) for value in values])
    return Chart(
        key,
        str(title),
        str(description),
        sanitised(chart.render(), key=key, title=title, description=description, print_css=print_css),
    )


def bar_chart(
    *, key: str, title: str, description: str, labels: list[str], values: list[int], print_css: bool = False
) -> Chart:
    """Horizontal bars, one per label (how many organisations of each type are signed up)."""
    top = max([*values, 1])
    step = max(1, -(-top // 5))
    chart = _config(
        pygal.HorizontalBar,
        x_labels=labels,
        y_labels=list(range(0, top + step, step)),
        height=max(200, 36 * len(labels) + 60),
        width=720,
    )
    chart.add(str(title), values)
    return Chart(
        key,
        str(title),
        str(description),
        sanitised(chart.render(), key=key, title=title, description=description, print_css=print_css),
    )


def review_charts(review, *, prefix: str = "", print_css: bool = False) -> dict:
    """The review's charts, in the active language: each measure's trend (by key) and coverage."""
    trends = {}
    for row in review.indicators:
        item = row.indicator
        trends[item.key] = trend_chart(
            key=f"{prefix}chart-{item.key}",
            title=gettext("%(measure)s, %(first)s to %(last)s")
            % {"measure": item.title, "first": review.trend_labels[0], "last": review.trend_labels[-1]},
            description=gettext(
                "A line chart of the measure in each of the last %(count)s financial years. "
                "The same figures are in the table after it."
            )
            % {"count": len(review.trend_labels)},
            labels=review.trend_labels,
            values=[None if value.suppressed else value.value for value in row.trend],
            percent=item.unit == PERCENT,
            print_css=print_css,
        )
    coverage = bar_chart(
        key=f"{prefix}chart-coverage",
        title=gettext("Organisations signed up at the end of %(year)s, by type") % {"year": review.label},
        description=gettext(
            "A bar chart of how many organisations of each type were signed up. "
            "The same figures are in the table after it."
        ),
        labels=[row.label for row in review.coverage.by_type],
        values=[row.count for row in review.coverage.by_type],
        print_css=print_css,
    )
    return {"trends": trends, "coverage": coverage}
