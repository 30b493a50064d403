"""Lay a :class:`reports.facts.FactSheet` and its map out as an A4 landscape PDF (reportlab platypus), 1–2 pages.

Page 1: a header (unit, sheet kind, plan title, data date), the map on the left, the unit's industries, 专栏4 parks and
三镇 towns beside it, the data attribution and the precision notes under the map. Then, flowing on in three columns:
key projects by status, transport access, 2030 targets, sources and notes. Every fact carries its plan reference in
small grey print. Text from the data enters reportlab's paragraph markup escaped (``xml.sax.saxutils.escape``).

When the content would need a third page, the text is set smaller (down to :data:`MIN_BODY_PT`), then the longest
project lists are cut, saying how many more items the app lists.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from i18n import t
from reports.facts import Fact, FactSheet

PAGE = landscape(A4)
MARGIN = 9 * mm
HEADER_H = 15 * mm
FOOTER_H = 16 * mm
GAP = 5 * mm
MAP_W = 176 * mm
#: Height of the map on page 1 (the frame between header and footer).
MAP_H = PAGE[1] - 2 * MARGIN - HEADER_H - FOOTER_H
MAX_PAGES = 2
BODY_PT = 7.0
MIN_BODY_PT = 5.6
ACCENT = colors.HexColor("#1f4e79")
GREY = colors.HexColor("#666666")


@dataclass(frozen=True)
class Styles:
    h: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    status: ParagraphStyle


def _styles(font: str, bold: str, lang: str, body_pt: float) -> Styles:
    wrap = "CJK" if lang == "zh" else None
    body = ParagraphStyle("body", fontName=font, fontSize=body_pt, leading=body_pt * 1.28, wordWrap=wrap,
                          alignment=TA_LEFT, spaceAfter=0.6)
    return Styles(
        h=ParagraphStyle("h", parent=body, fontName=bold, fontSize=body_pt + 2, leading=(body_pt + 2) * 1.25,
                         textColor=ACCENT, spaceBefore=3, spaceAfter=1.5),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=body_pt - 1.3, leading=(body_pt - 1.3) * 1.3,
                             textColor=GREY),
        status=ParagraphStyle("status", parent=body, fontName=bold, textColor=colors.HexColor("#333333"),
                              spaceBefore=1.5),
    )


class _Unpainted(Paragraph):
    """A paragraph that takes its place but paints nothing: the fitting trials only count pages, and painting is a
    third of a trial's time."""

    def draw(self) -> None:
        return None


def _fact_para(f: Fact, st: Styles, *, ref_pt: float, para: type[Paragraph] = Paragraph) -> Paragraph:
    """``label: value  note  [ref]`` with the note and the reference in small grey print."""
    parts = []
    if f.label:
        parts.append(f"<b>{escape(f.label)}</b>: ")
    parts.append(escape(f.value))
    tail = []
    if f.note:
        tail.append(escape(f.note))
    if f.ref:
        tail.append(f"[{escape(f.ref)}]")
    if tail:
        parts.append(f' <font size="{ref_pt:.1f}" color="#666666">{" ".join(tail)}</font>')
    return para("".join(parts), st.body)


@dataclass(frozen=True)
class Layout:
    """Knobs the fitting loop turns: text size and the longest project list kept per status."""

    body_pt: float = BODY_PT
    max_per_status: int | None = None


def _story(sheet: FactSheet, map_png: bytes | None, fonts: tuple[str, str], layout: Layout) -> list[Any]:
    lang = sheet.lang
    st = _styles(fonts[0], fonts[1], lang, layout.body_pt)
    ref_pt = layout.body_pt - 1.3
    city = sheet.unit == "city"
    P = _Unpainted if map_png is None else Paragraph  # a paragraph class
    story: list[Any] = [NextPageTemplate("later")]
    img = Image(io.BytesIO(map_png), width=MAP_W, height=MAP_H) if map_png is not None else Spacer(MAP_W, MAP_H)
    story += [img, FrameBreak()]

    def section(key: str, facts: list[Fact], *, empty: str = "report.none") -> None:
        story.append(P(escape(t(key, lang)), st.h))
        if not facts:
            story.append(P(escape(t(empty, lang)), st.small))
        for f in facts:
            story.append(_fact_para(f, st, ref_pt=ref_pt, para=P))

    c = sheet.counts
    story.append(P(escape(t("report.counts_city" if city else "report.counts", lang, **c)), st.small))
    section("report.section.profile_city" if city else "report.section.profile", sheet.profile)
    section("report.section.parks", sheet.parks)
    section("report.section.towns", sheet.towns)
    story.append(_ToPageTwo())  # the rest starts on page 2 (and flows across its columns)

    story.append(P(escape(t("report.section.projects_city" if city else "report.section.projects", lang)),
                           st.h))
    if not sheet.projects:
        story.append(P(escape(t("report.none", lang)), st.small))
    for status, facts in sheet.projects:
        story.append(CondPageBreak(3 * st.body.leading))
        story.append(P(f"{escape(status)} ({len(facts)})", st.status))
        keep = facts if layout.max_per_status is None else facts[: layout.max_per_status]
        for f in keep:
            story.append(_fact_para(f, st, ref_pt=ref_pt, para=P))
        if len(keep) < len(facts):
            story.append(P(escape(t("report.more", lang, n=len(facts) - len(keep))), st.small))

    story.append(P(escape(t("report.section.access", lang)), st.h))
    if sheet.access:
        rows = [[t("report.access.col.target", lang), t("report.access.col.towns", lang), "2025", "2030"]]
        for a in sheet.access:
            rows.append([a.label, str(a.n_towns), f"{a.share_2025:.0%}", f"{a.share_2030:.0%}"])
        cells = [[P(escape(x), st.body if i else st.status) for x in r] for i, r in enumerate(rows)]
        table = Table(cells, colWidths=None, hAlign="LEFT")
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts[0]), ("LINEBELOW", (0, 0), (-1, 0), 0.5, GREY),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 1), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
        story.append(KeepTogether([table]))
    else:
        story.append(P(escape(t("report.access.none", lang)), st.small))
    story.append(P(escape(sheet.access_note), st.small))

    section("report.section.targets", sheet.targets, empty="report.target.none")

    story.append(P(escape(t("report.section.sources", lang)), st.h))
    pt = sheet.plan_title
    story.append(P(f"<b>{escape(pt.label)}</b>: {escape(pt.value)}, {escape(pt.note)} "
                           f'<font size="{ref_pt:.1f}" color="#666666">[{escape(pt.ref)}]</font>', st.body))
    story.append(P(escape(t("report.data_date", lang, date=sheet.data_date)), st.body))
    for line in sheet.caveats:
        story.append(P(escape(line), st.small))
    story.append(P(escape(t("ui.attribution.label", lang)) + ": " + " · ".join(
        escape(a) for a in sheet.attribution), st.small))
    story.append(P(escape(t("report.made_by", lang)), st.small))
    return story


def _on_page(sheet: FactSheet, fonts: tuple[str, str]) -> Callable[[Any, Any], None]:
    lang = sheet.lang
    kind = t("report.sheet_kind_city" if sheet.unit == "city" else "report.sheet_kind", lang)

    def draw(canvas: Any, doc: Any) -> None:
        w, h = PAGE
        canvas.saveState()
        top = h - MARGIN
        canvas.setFillColor(ACCENT)
        canvas.rect(MARGIN, top - HEADER_H + 3 * mm, w - 2 * MARGIN, 0.6 * mm, stroke=0, fill=1)
        canvas.setFont(fonts[1], 17)
        canvas.drawString(MARGIN, top - 7.5 * mm, sheet.unit_name)
        name_w = canvas.stringWidth(sheet.unit_name, fonts[1], 17)
        canvas.setFont(fonts[0], 10)
        canvas.setFillColor(colors.HexColor("#333333"))
        canvas.drawString(MARGIN + name_w + 4 * mm, top - 7.5 * mm, f"{t('report.series', lang)} · {kind}")
        canvas.setFont(fonts[0], 6.5)
        canvas.setFillColor(GREY)
        right = f"{t('report.data_date', lang, date=sheet.data_date)} · {t('report.page', lang, n=doc.page)}"
        canvas.drawRightString(w - MARGIN, top - 4 * mm, right)
        plan = f"{sheet.plan_title.value} {sheet.plan_title.note} [{sheet.plan_title.ref}]"
        para = Paragraph(escape(plan), ParagraphStyle("hdr", fontName=fonts[0], fontSize=6.5, leading=8,
                                                      textColor=GREY, alignment=TA_RIGHT,
                                                      wordWrap="CJK" if lang == "zh" else None))
        pw, ph = para.wrap(110 * mm, 20 * mm)
        para.drawOn(canvas, w - MARGIN - pw, top - 6 * mm - ph)
        if doc.page == 1:  # attribution and precision notes under the map
            foot = ParagraphStyle("foot", fontName=fonts[0], fontSize=5.6, leading=6.9, textColor=GREY,
                                  wordWrap="CJK" if lang == "zh" else None)
            text = (escape(sheet.caveats[0]) + " " + escape(sheet.caveats[1]) + "<br/>"
                    + escape(t("ui.attribution.label", lang)) + ": "
                    + " · ".join(escape(a) for a in sheet.attribution))
            p = Paragraph(text, foot)
            _, fh = p.wrap(MAP_W, FOOTER_H)
            p.drawOn(canvas, MARGIN, MARGIN + FOOTER_H - fh - 1 * mm)
        canvas.restoreState()

    return draw


class _Doc(BaseDocTemplate):
    pass


class _ToPageTwo(Flowable):
    """Ends page 1: on page 1 it asks for more room than any frame has (so the flow moves on to page 2's first
    column); from page 2 on it takes no room (it never pushes content to a third page)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.canv.getPageNumber() == 1:
            return avail_width, avail_height + 1
        return 0, 0

    def draw(self) -> None:
        return None


def _doc(buf: io.BytesIO, sheet: FactSheet, fonts: tuple[str, str]) -> _Doc:
    w, h = PAGE
    body_top = h - MARGIN - HEADER_H
    doc = _Doc(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
               title=f"{sheet.unit_name} · {t('report.sheet_kind', sheet.lang)}", author=t("report.series", sheet.lang),
               subject=t("report.plan_title", sheet.lang), creator=t("report.series", sheet.lang), lang=sheet.lang,
               initialFontName=fonts[0], initialFontSize=BODY_PT)
    map_frame = Frame(MARGIN, MARGIN + FOOTER_H, MAP_W, MAP_H, id="map", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
    side_w = w - 2 * MARGIN - MAP_W - GAP
    side = Frame(MARGIN + MAP_W + GAP, MARGIN, side_w, body_top - MARGIN, id="side", leftPadding=0, rightPadding=0,
                 topPadding=0, bottomPadding=0)
    col_w = (w - 2 * MARGIN - 2 * GAP) / 3
    cols = [Frame(MARGIN + i * (col_w + GAP), MARGIN, col_w, body_top - MARGIN, id=f"c{i}", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0) for i in range(3)]
    draw = _on_page(sheet, fonts)
    doc.addPageTemplates([PageTemplate("first", [map_frame, side], onPage=draw),
                          PageTemplate("later", cols, onPage=draw)])
    return doc


def _trial(sheet: FactSheet, map_png: bytes | None, fonts: tuple[str, str], layout: Layout) -> tuple[bytes, int]:
    """Build once; ``map_png`` ``None`` puts an empty box of the map's size in its place (a cheap fitting trial)."""
    buf = io.BytesIO()
    doc = _doc(buf, sheet, fonts)
    doc.build(_story(sheet, map_png, fonts, layout))
    return buf.getvalue(), doc.page


def fit_layout(sheet: FactSheet, fonts: tuple[str, str]) -> Layout:
    """The largest text size (then the longest project lists) with which the sheet fits on :data:`MAX_PAGES`."""
    for i in range(int(round((BODY_PT - MIN_BODY_PT) / 0.6)) + 1):
        layout = Layout(body_pt=round(BODY_PT - 0.6 * i, 2))
        if _trial(sheet, None, fonts, layout)[1] <= MAX_PAGES:
            return layout
    small = Layout(body_pt=MIN_BODY_PT)
    lo, hi = 0, max((len(f) for _, f in sheet.projects), default=0)  # lo fits (no projects listed) … hi does not
    if _trial(sheet, None, fonts, replace(small, max_per_status=0))[1] > MAX_PAGES:
        raise ValueError(t("report.error.pages", sheet.lang, pages=MAX_PAGES))
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _trial(sheet, None, fonts, replace(small, max_per_status=mid))[1] <= MAX_PAGES:
            lo = mid
        else:
            hi = mid
    return replace(small, max_per_status=lo)


def build_pdf(sheet: FactSheet, map_png: bytes, fonts: tuple[str, str]) -> tuple[bytes, int, Layout]:
    """The sheet as PDF bytes, its page count and the layout that fitted (see the module docstring).

    ``fonts``: reportlab names of the regular and bold faces (:func:`reports.fonts.register_pdf_fonts`).
    """
    layout = fit_layout(sheet, fonts)
    pdf, pages = _trial(sheet, map_png, fonts, layout)
    return pdf, pages, layout
