"""Builders for the files councils publish, made in the test: Word documents and text PDFs."""

import html
import io

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_multilevel_list(document, levels: list[tuple[str, str]]) -> str:
    """A list definition in the document's numbering part, one (lvlText, numFmt) per level, like
    Word's "1 / 1.1 / 1.1.1" lists; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract_id = 90 + len(numbering.findall(qn("w:abstractNum")))
    lvls = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{html.escape(text)}"/></w:lvl>'
        for level, (text, fmt) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    # abstractNum elements come before num elements.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num_id = str(abstract_id + 100)
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    )
    return num_id


def add_list_paragraph(document, text: str, *, num_id: str, level: int):
    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def add_two_column_table(document, header: tuple[str, str], left: list[str], right: list[str]):
    """A table with a header row and one row per item, the shorter column padded with empty cells."""
    rows = max(len(left), len(right))
    table = document.add_table(rows=rows + 1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = header
    for index in range(rows):
        cells = table.rows[index + 1].cells
        cells[0].text = left[index] if index < len(left) else ""
        cells[1].text = right[index] if index < len(right) else ""
    return table


def new_docx():
    return docx.Document()


PAGE_N_OF_M = '"Page " counter(page) " of " counter(pages)'


def pdf_bytes(
    body_html: str, *, header: str = "", page_numbers: bool = True, footer: str = PAGE_N_OF_M, width_mm: int = 210
) -> bytes:
    """A text PDF rendered by WeasyPrint, with a running header and the page number at the foot
    (``footer``: CSS content, "Page N of M" unless told)."""
    from weasyprint import HTML

    margin = []
    if header:
        margin.append(f'@top-center {{ content: "{header}"; }}')
    if page_numbers:
        margin.append(f"@bottom-center {{ content: {footer}; }}")
    css = f"@page {{ size: {width_mm}mm 297mm; margin: 25mm 20mm; {' '.join(margin)} }} body {{ font-size: 11pt; }}"
    document = f"<html lang='en'><head><style>{css}</style></head><body>{body_html}</body></html>"
    return HTML(string=document).write_pdf()


def paragraphs_html(lines: list[str]) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" if line.strip() else "" for line in lines)
