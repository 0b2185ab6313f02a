"""Where every text, table and chart of a slide goes: one layout for PowerPoint and PDF alike.

The deck (slides.py) says *what* a slide shows; this module decides *where*, measuring every
line with Pillow's `ImageFont.getlength` and the same TrueType font the renderers use (DejaVu
Sans), so that the PowerPoint, its LibreOffice rendering and the PDF break lines at the same
places. Rules, in order:

- text is wrapped at spaces only; a word is never broken inside the word (a single word wider
  than the whole box – a pasted URL – is the one exception, broken where it must be);
- table columns get their width from their content: a number column is as wide as its widest
  figure (never wrapped), a text column at least as wide as its longest word, and the rest of
  the width goes to the text columns in proportion to what they need;
- when the content does not fit, the type steps down to a floor; below the floor the slide
  continues on numbered follow-on slides ("Mål 2/3") – content is never cut;
- every box lies inside the slide and no two boxes overlap (tests check both on the files).

Units are points (1/72 inch). Pure Python: no python-pptx, reportlab or Streamlit here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .textsafe import printable, unprintable

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
FONT_NAME = "DejaVu Sans"  # the family name PowerPoint and LibreOffice look up

LINE = 1.3  # line height as a multiple of the type size (the renderers use exactly this; LibreOffice
# reports a DejaVu line as 1,3 em tall, so lines set closer would overlap in its PDF)
SLACK = 1.04  # measured width × SLACK: a renderer's kerning or hinting never forces an extra wrap



@dataclass(frozen=True)
class TypeScale:
    """Type sizes, largest first, stepped down to the last (the floor)."""
    title: tuple = (30, 28, 26, 24, 22)
    cover: tuple = (40, 36, 32, 28)
    subtitle: tuple = (16, 15, 14)
    bullets: tuple = (20, 18, 17, 16, 15, 14)
    table: tuple = (16, 15, 14, 13, 12)
    footer: tuple = (11, 10, 9)
    kicker: float = 13
    badge: float = 14


PRINT = TypeScale()  # points on a 960 × 540 pt slide (PowerPoint, PDF)
# pixels on a 1280 × 720 screen (Bildspel on a projector): body ≥ 22 px, tables ≥ 20 px (issue 13)
SCREEN = TypeScale(title=(52, 48), cover=(64, 56, 52), subtitle=(22,), bullets=(28, 26, 24, 22),
                   table=(24, 22, 20), footer=(20,), kicker=20, badge=22)

INK = "1d232b"
MUTED = "444b55"
DRAFT_RED = "8a1111"
HEAD_FILL = "e3e7ec"
TOTAL_FILL = "eef1f5"
SUMMARY_FILL = "f7f3e8"
BAND_FILL = "f7f8fa"

# a cell that reads as a number: figures, signs, ≤/≥, a unit after it ("28 tkr/år", "16 (beräknat)")
_NUMBER = re.compile(r"^[≤≥<>=~]?\s?[+\-−]?\s?\d[\d\s\u00a0\u202f,.]*(\s?(%|tkr|mnkr|kr|st|dagar|år)(/\S+)?)?"
                     r"(\s?\*|\s\(beräknat\))?$")
MISSING_TEXT = {"", "–", "-"}


@dataclass
class Paragraph:
    lines: list[str]
    indent: float = 0.0  # continuation lines start this far in (a bullet's hanging indent)
    bullet: str = ""  # drawn before the first line, in the indent
    gap_before: float = 0.0


@dataclass
class TextBox:
    role: str  # title, subtitle, kicker, badge, bullets, note, footer
    x: float
    y: float
    w: float
    h: float
    paragraphs: list[Paragraph]
    size: float
    bold: bool = False
    color: str = INK
    align: str = "l"

    @property
    def line_h(self) -> float:
        return self.size * LINE


@dataclass
class Cell:
    lines: list[str]
    align: str = "l"
    bold: bool = False
    italic: bool = False
    indent: float = 0.0


@dataclass
class TableBox:
    role: str
    x: float
    y: float
    w: float
    h: float
    col_widths: list[float]
    row_heights: list[float]
    rows: list[list[Cell]]  # row 0 is the header
    fills: list[str | None]
    size: float
    pad_x: float
    pad_y: float

    @property
    def line_h(self) -> float:
        return self.size * LINE


@dataclass
class ImageBox:
    """A chart's place. The chart is rendered for exactly this box (export.py) and then fills it."""
    role: str
    x: float
    y: float
    w: float
    h: float
    png: bytes = b""


@dataclass
class Page:
    slide_index: int
    boxes: list = field(default_factory=list)


# --- measuring ------------------------------------------------------------------------------

def font_path(bold: bool) -> Path:
    """The TTF the renderers use: DejaVu Sans (Debian's fonts-dejavu-core), else reportlab's Vera."""
    for folder in FONT_DIRS:
        path = folder / FONT_FILES[bold]
        if path.exists():
            return path
    import reportlab

    return Path(reportlab.__file__).parent / "fonts" / ("VeraBd.ttf" if bold else "Vera.ttf")


@cache
def _font(bold: bool):
    from PIL import ImageFont

    return ImageFont.truetype(str(font_path(bold)), 100)  # measured at 100, scaled: sizes are fractional


# Characters whose advances simply add up in DejaVu Sans (no kerning or shaping between any two
# of them; checked on the font itself before use, `_additive`): a figure's length is then the sum
# of its characters' lengths – the same float Pillow gives (lengths are whole 1/64 units, so the
# sum is exact) without a shaping call per figure. A new round brings thousands of new figures
# (Bildspel's "Prognosförändring" at full scale: 6 000), ~80 µs each through Pillow.
FIGURE_CHARS = frozenset("0123456789 \u00a0\u202f\u2212+-,.%*")


@cache
def _advances(bold: bool) -> dict[str, float] | None:
    """Each figure character's length at 100 pt, or None when the font kerns any pair of them."""
    font = _font(bold)
    advance = {ch: font.getlength(ch) for ch in FIGURE_CHARS}
    for a in FIGURE_CHARS:
        for b in FIGURE_CHARS:
            if font.getlength(a + b) != advance[a] + advance[b]:
                return None
    return advance


@lru_cache(maxsize=200_000)
def _length(text: str, bold: bool) -> float:
    """Pillow's length of `text` at 100 pt (a size-free measure: the layout tries several sizes)."""
    if text and FIGURE_CHARS.issuperset(text):
        advance = _advances(bold)
        if advance is not None:
            return sum(advance[ch] for ch in text)
    return _font(bold).getlength(text)


@cache
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of `text` set in DejaVu Sans at `size` points."""
    return _length(text, bold) * size / 100.0 * SLACK


def _break_word(word: str, size: float, bold: bool, width: float) -> list[str]:
    """Last resort for one word wider than the whole box: break where the box ends."""
    out, part = [], ""
    for ch in word:
        if part and text_width(part + ch, size, bold) > width:
            out.append(part)
            part = ch
        else:
            part += ch
    return out + ([part] if part else [])


def wrap(text: str, size: float, width: float, bold: bool = False, first_width: float | None = None) -> list[str]:
    """Greedy wrap at spaces. `first_width` lets the first line be shorter or longer than the rest."""
    if not isinstance(text, str):
        return _wrap(text, size, width, bold, first_width)
    return list(_wrap_cached(text, size, width, bold, first_width))


@lru_cache(maxsize=50_000)
def _wrap_cached(text: str, size: float, width: float, bold: bool, first_width: float | None) -> tuple[str, ...]:
    # a new round lays out the same names at the same sizes and column widths again
    return tuple(_wrap(text, size, width, bold, first_width))


def _wrap(text, size: float, width: float, bold: bool, first_width: float | None) -> list[str]:
    return _wrap_words(printable(text).split(), size, width, bold, first_width)


def wrap_footer(text: str, size: float, width: float) -> list[str]:
    """wrap() for a slide footer: its page number "bild N av M" stays on one line (a projector
    showed "… · bild 6" / "av 11")."""
    words = printable(text).split()
    if len(words) >= 4 and words[-4] == "bild" and words[-2] == "av":
        words = words[:-4] + [" ".join(words[-4:])]
    return _wrap_words(words, size, width, False, None)


def _wrap_words(words: list[str], size: float, width: float, bold: bool, first_width: float | None) -> list[str]:
    if not words:
        return [""]
    lines: list[str] = []
    line = ""
    for word in words:
        limit = first_width if (first_width is not None and not lines) else width
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= limit:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
            limit = width
        if text_width(word, size, bold) <= limit:
            line = word
        else:
            pieces = _break_word(word, size, bold, limit)
            lines += pieces[:-1]
            line = pieces[-1]
    lines.append(line)
    return lines


def longest_word(text: str, size: float, bold: bool = False) -> float:
    word = _widest_word(text, bold)
    return text_width(word, size, bold) if word is not None else 0.0


@lru_cache(maxsize=50_000)
def _widest_word(text: str, bold: bool) -> str | None:
    """The word of `text` that sets widest. text_width grows with the font's length of a word at
    any size, so this word's width at a size is the max of all the words' (the same float):
    measured once per text instead of per word, size and attempt (the layout asks ~10⁵ times)."""
    best, best_len = None, -1.0
    for w in printable(text).split():
        length = _length(w, bold)
        if length > best_len:
            best, best_len = w, length
    return best


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


# --- geometry -------------------------------------------------------------------------------

@dataclass
class Geometry:
    width: float
    height: float
    type: TypeScale = PRINT

    @property
    def margin(self) -> float:
        return max(24.0, self.width * 0.0375)

    @property
    def inner(self) -> float:
        return self.width - 2 * self.margin


def _text_height(paragraphs: list[Paragraph], size: float) -> float:
    return sum(len(p.lines) * size * LINE + p.gap_before for p in paragraphs)


def _paragraphs(items: list[str], size: float, width: float, bullet: str = "•") -> list[Paragraph]:
    if not items:
        return []
    indent = text_width(bullet + " ", size) if bullet else 0.0
    out = []
    for i, item in enumerate(items):
        out.append(Paragraph(wrap(item, size, width - indent), indent=indent, bullet=bullet,
                             gap_before=0.0 if i == 0 else size * 0.35))
    return out


# --- tables ---------------------------------------------------------------------------------

@dataclass
class TableSpec:
    """A slide's table, as the layout needs it: text cells plus what each row and column is."""
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    levels: list[int]  # indent steps of the first column (a tree)
    kinds: list[str]  # "" | "total" | "subtotal" | "summary"
    # column widths and wrapped cells per (size, width), and every cell's size-free length: the
    # layout tries the same ones again for every bullet size and page split (pure functions of
    # the spec, which is never changed)
    _measured: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, levels: list[int] | None = None,
                   kinds: list[str] | None = None) -> TableSpec:
        header = [printable(str(h)) for h in frame.columns]
        # column by column: the same values itertuples would give, without a tuple per row
        # through pandas' per-element iterators (a 2 000-row table: 8 000 cells per slide)
        columns = [cell_texts(frame.iloc[:, j].tolist()) for j in range(frame.shape[1])]
        rows = [list(r) for r in zip(*columns, strict=True)] if columns else [[] for _ in range(len(frame))]
        numeric = []
        for j, name in enumerate(header):
            values = [r[j] for r in rows if r[j].strip() not in MISSING_TEXT]
            numeric.append(bool(values) and all(is_number(v) for v in values) and (j > 0 or name == "Nr"))
        n = len(rows)
        return cls(header, rows, numeric, list(levels or [0] * n), list(kinds or [""] * n))


def cell_text(value) -> str:
    """A cell as text: printable, missing as "–" (never None or nan)."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    # a clean string (the usual cell: figures, names) is its own printable text
    clean = type(value) is str and "\t" not in value and unprintable(value) is None
    text = (value if clean else printable(str(value))).strip()
    return text if text and text.lower() not in ("nan", "none", "<na>") else "–"


_MISSING_WORDS = ("nan", "none", "<na>")


def cell_texts(values: list) -> list[str]:
    """[cell_text(v) for v in values], the same texts: a column of strings with no tab and no
    unprintable character (checked once over the whole column) is only stripped, the per-value
    checks made once per column instead of per cell (Bildspel's deck for a new round at full
    scale has ~10 000 cells, each made into text twice: export.printable_slides, then here)."""
    if values and all(type(v) is str for v in values):
        joined = " ".join(values)  # a printable separator: the column is clean iff the join is
        if "\t" not in joined and unprintable(joined) is None:
            out = []
            for v in values:
                text = v.strip()
                out.append(text if text and text.lower() not in _MISSING_WORDS else "–")
            return out
    return [cell_text(v) for v in values]


def _indent_step(size: float) -> float:
    return size * 1.1


def _raw_lengths(spec: TableSpec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every body cell's length and its widest word's length at 100 pt (rows × columns), and the
    rows' tree levels: measured once per table, scaled to each size the layout tries. A number
    column's word lengths are left 0: column_widths never reads them (a figure never wraps, its
    column is as wide as its widest figure). Column by column into lists, then one array: setting
    8 000 array items one by one cost more than measuring them."""
    got = spec._measured.get("raw")
    if got is None:
        shape = (len(spec.rows), len(spec.header))
        if not all(shape):
            full, word = np.zeros(shape), np.zeros(shape)
        else:
            bolds = [kind in ("total", "subtotal") for kind in spec.kinds]
            full_cols, word_cols = [], []
            for j in range(shape[1]):
                texts = [row[j] for row in spec.rows]
                full_cols.append([_length(text, bold) for text, bold in zip(texts, bolds, strict=True)])
                if spec.numeric[j]:
                    word_cols.append([0.0] * shape[0])
                    continue
                lengths = []
                for text, bold in zip(texts, bolds, strict=True):
                    widest = _widest_word(text, bold)
                    lengths.append(_length(widest, bold) if widest is not None else 0.0)
                word_cols.append(lengths)
            full = np.array(full_cols, dtype=float).T
            word = np.array(word_cols, dtype=float).T
        got = spec._measured["raw"] = (full, word, np.array(spec.levels, dtype=float))
    return got


def column_widths(spec: TableSpec, size: float, width: float, pad_x: float) -> list[float] | None:
    """Widths from content, or None when the longest words alone do not fit in `width`.

    A number column is as wide as its widest figure (a figure never wraps) or the longest word of
    its header; a text column at least its longest word. Spare width goes first to the text
    columns (toward one line per cell), then to the number columns' headers."""
    cols = len(spec.header)
    minimum, natural = [], []
    full, word, levels = _raw_lengths(spec)
    if len(spec.rows):
        # the same float operations as text_width and longest_word, for all cells at once
        # (text_width(t, size) = length × size / 100 × SLACK, the indent added to the first column)
        cell_w = full * size / 100.0 * SLACK
        word_w = word * size / 100.0 * SLACK
        indent = _indent_step(size) * levels
    for j in range(cols):
        head_min = longest_word(spec.header[j], size, True)
        head_nat = text_width(spec.header[j], size, True)
        cell_min, cell_nat = 0.0, 0.0
        if len(spec.rows):
            col_full = cell_w[:, j] + indent if j == 0 else cell_w[:, j]
            cell_nat = max(cell_nat, float(col_full.max()))
            col_min = col_full if spec.numeric[j] else (word_w[:, j] + indent if j == 0 else word_w[:, j])
            cell_min = max(cell_min, float(col_min.max()))
        minimum.append(max(head_min, cell_min) + 2 * pad_x)
        natural.append(max(head_nat, cell_nat) + 2 * pad_x)
    if sum(minimum) > width:
        return None
    widths = list(minimum)
    spare = width - sum(widths)
    for group in ([j for j in range(cols) if not spec.numeric[j]], [j for j in range(cols) if spec.numeric[j]]):
        # water-filling: a column that needs little to fit on one line ("Uppnås delvis") gets it
        # whole; what is left is shared by the long ones in proportion to what they need
        want = {j: natural[j] - widths[j] for j in group if natural[j] > widths[j]}
        while want and spare > 0:
            fair = spare / len(want)
            small = [j for j, w in want.items() if w <= fair]
            if not small:
                total = sum(want.values())
                for j, w in want.items():
                    widths[j] += spare * w / total
                spare = 0.0
                break
            for j in small:
                widths[j] += want.pop(j)
            spare = width - sum(widths)
    if spare > 0:  # all on one line and room to spare: the text columns breathe
        text_cols = [j for j in range(cols) if not spec.numeric[j]] or list(range(cols))
        weight = sum(natural[j] for j in text_cols)
        for j in text_cols:
            widths[j] += spare * natural[j] / weight
    return widths


def _table_cells(spec: TableSpec, size: float, widths: list[float], pad_x: float) -> tuple[list[list[Cell]], list[float]]:
    rows: list[list[Cell]] = []
    heights: list[float] = []
    line_h = size * LINE
    pad_y = size * 0.15
    head = [Cell(wrap(h, size, widths[j] - 2 * pad_x, True), "r" if spec.numeric[j] else "l", bold=True)
            for j, h in enumerate(spec.header)]
    rows.append(head)
    heights.append(max(len(c.lines) for c in head) * line_h + 2 * pad_y)
    for i, row in enumerate(spec.rows):
        kind = spec.kinds[i]
        bold = kind in ("total", "subtotal")
        cells = []
        for j, text in enumerate(row):
            indent = _indent_step(size) * spec.levels[i] if j == 0 else 0.0
            inner = widths[j] - 2 * pad_x - indent
            lines = [text] if spec.numeric[j] else wrap(text, size, inner, bold)
            cells.append(Cell(lines, "r" if spec.numeric[j] else "l", bold=bold, italic=kind == "summary",
                              indent=indent))
        rows.append(cells)
        heights.append(max(len(c.lines) for c in cells) * line_h + 2 * pad_y)
    return rows, heights


def _fill(kind: str, index: int) -> str | None:
    if kind in ("total", "subtotal"):
        return TOTAL_FILL
    if kind == "summary":
        return SUMMARY_FILL
    return BAND_FILL if index % 2 == 1 else None


def _widths(spec: TableSpec, size: float, width: float, pad_x: float) -> list[float] | None:
    key = ("widths", size, width, pad_x)
    if key not in spec._measured:
        spec._measured[key] = column_widths(spec, size, width, pad_x)
    return spec._measured[key]


class _Rows:
    """The rows of `_table_cells` (header first), each made when it is first asked for: the row
    heights need only each cell's line count, and a slide that is counted but not shown (the
    screen lays out the page it shows, slideshow.py) never needs its 2 000 rows as Cells. A row
    is made from the same wrapped lines `_table_cells` makes, so it equals that row."""

    def __init__(self, spec: TableSpec, size: float, widths: list[float], pad_x: float,
                 head: list[Cell], lines: list[list]) -> None:
        self._spec, self._size, self._pad_x, self._lines = spec, size, pad_x, lines
        self._made: dict[int, list[Cell]] = {0: head}
        self._n = len(lines) + 1

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> list[Cell]:
        row = self._made.get(i)
        if row is None:
            if not 0 <= i < self._n:
                raise IndexError(i)
            spec, size = self._spec, self._size
            kind = spec.kinds[i - 1]
            bold = kind in ("total", "subtotal")
            level = spec.levels[i - 1]
            row = [Cell(lines, "r" if spec.numeric[j] else "l", bold=bold, italic=kind == "summary",
                        indent=_indent_step(size) * level if j == 0 else 0.0)
                   for j, lines in enumerate(self._lines[i - 1])]
            self._made[i] = row
        return row

    def __iter__(self):
        return (self[i] for i in range(self._n))


def _table_cells_lazy(spec: TableSpec, size: float, widths: list[float], pad_x: float) -> tuple[_Rows, list[float]]:
    """_table_cells, with the rows made on demand (_Rows): the same heights, the same rows."""
    line_h = size * LINE
    pad_y = size * 0.15
    head = [Cell(wrap(h, size, widths[j] - 2 * pad_x, True), "r" if spec.numeric[j] else "l", bold=True)
            for j, h in enumerate(spec.header)]
    heights = [max(len(c.lines) for c in head) * line_h + 2 * pad_y]
    step = _indent_step(size)
    inner = [widths[j] - 2 * pad_x for j in range(len(spec.header))]
    text_cols = [j for j in range(len(spec.header)) if not spec.numeric[j]]
    all_lines = []
    for i, row in enumerate(spec.rows):
        bold = spec.kinds[i] in ("total", "subtotal")
        lines = [[text] for text in row]
        for j in text_cols:
            lines[j] = wrap(row[j], size, inner[j] - (step * spec.levels[i] if j == 0 else 0.0), bold)
        all_lines.append(lines)
        heights.append(max(len(x) for x in lines) * line_h + 2 * pad_y)
    return _Rows(spec, size, widths, pad_x, head, all_lines), heights


def _cells(spec: TableSpec, size: float, width: float, pad_x: float):
    """(widths, cells, row heights) at `size` in `width` (the widths must exist); the cells as
    _Rows, made when a page's table box asks for them."""
    key = ("cells", size, width, pad_x)
    if key not in spec._measured:
        widths = _widths(spec, size, width, pad_x)
        spec._measured[key] = (widths, *_table_cells_lazy(spec, size, widths, pad_x))
    return spec._measured[key]


def fit_table(spec: TableSpec, width: float, height: float, sizes=PRINT.table):
    """The largest type size at which the whole table fits `width` × `height`, with its cells;
    else the floor size (the caller splits the rows over follow-on slides)."""
    last = None  # the last size whose longest words fit: the answer when no size fits
    for size in sizes:
        pad_x = size * 0.45
        if _widths(spec, size, width, pad_x) is None:
            continue
        last = (size, pad_x)
        # Every row is at least one line tall: a table taller than that at this size cannot fit,
        # and wrapping its cells (2 000 rows at full scale) would only confirm it. The margin
        # covers the rounding of summing the row heights one by one.
        least = (len(spec.rows) + 1) * (size * LINE + 2 * (size * 0.15))
        if least > height + abs(height) * 1e-9 + 1e-9:
            continue
        widths, rows, heights = _cells(spec, size, width, pad_x)
        if sum(heights) <= height:
            return size, pad_x, list(widths), rows, list(heights)
    chosen = None
    if last is not None:
        size, pad_x = last
        widths, rows, heights = _cells(spec, size, width, pad_x)
        chosen = (size, pad_x, list(widths), rows, list(heights))
    if chosen is None:  # even the floor's longest words do not fit: break them (never seen in real data)
        size = sizes[-1]
        pad_x = size * 0.45
        widths = [width / len(spec.header)] * len(spec.header)
        rows, heights = _table_cells(spec, size, widths, pad_x)
        chosen = (size, pad_x, widths, rows, heights)
    return chosen


# --- the slide ------------------------------------------------------------------------------

@dataclass
class _Frame:
    """What every page of one slide carries: header boxes and the free body area."""
    boxes: list
    body_top: float
    body_bottom: float


def _header(slide, geo: Geometry, kicker: str | None, footer_probe: str) -> _Frame:
    m = geo.margin
    y = m * 0.55
    boxes: list = []
    if slide.draft:
        text = "UTKAST – ej fastställd av nämnden"
        badge = geo.type.badge
        boxes.append(TextBox("badge", m, y, geo.inner, badge * LINE, [Paragraph([text])], badge,
                             bold=True, color=DRAFT_RED))
        y += badge * LINE + 4
    if kicker:
        ksize = geo.type.kicker
        boxes.append(TextBox("kicker", m, y, geo.inner, ksize * LINE, [Paragraph([kicker])], ksize,
                             bold=True, color=MUTED))
        y += ksize * LINE + 2
    sizes = geo.type.cover if slide.kind == "titel" else geo.type.title
    for size in sizes:
        lines = wrap(slide.title, size, geo.inner, bold=True)
        if len(lines) <= 2:
            break
    boxes.append(TextBox("title", m, y, geo.inner, len(lines) * size * LINE, [Paragraph(lines)], size, bold=True))
    y += len(lines) * size * LINE + 6
    if slide.subtitle:
        for sub in geo.type.subtitle:
            sub_lines = wrap(slide.subtitle, sub, geo.inner)
            if len(sub_lines) == 1:
                break
        boxes.append(TextBox("subtitle", m, y, geo.inner, len(sub_lines) * sub * LINE, [Paragraph(sub_lines)], sub,
                             color=MUTED))
        y += len(sub_lines) * sub * LINE
    body_top = y + 14
    for fsize in geo.type.footer:
        foot_lines = wrap_footer(footer_probe, fsize, geo.inner)
        if len(foot_lines) == 1:
            break
    foot_h = len(foot_lines) * fsize * LINE
    foot_y = geo.height - m * 0.5 - foot_h
    boxes.append(TextBox("footer", m, foot_y, geo.inner, foot_h, [Paragraph(foot_lines)], fsize, color=MUTED))
    return _Frame(boxes, body_top, foot_y - 12)


def image_size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        return img.size


def _place_image(aspect: float | None, x: float, y: float, w: float, h: float) -> ImageBox:
    """The chart's box: the whole area, or for a chart with its own shape (a square risk matrix)
    the largest box of that shape inside the area."""
    if aspect:
        w, h = min(w, h * aspect), min(h, w / aspect)
    return ImageBox("chart", x, y, w, h)


def _bullets_pages(items: list[str], width: float, first_room: float, room: float, sizes=PRINT.bullets):
    """Bullets at the largest size that fits the first page, else the floor over several pages."""
    for size in sizes:
        paras = _paragraphs(items, size, width)
        if _text_height(paras, size) <= first_room:
            return size, [paras]
    size = sizes[-1]
    paras = _paragraphs(items, size, width)
    chunks, chunk, used = [], [], 0.0
    limit = first_room
    for p in paras:
        h = len(p.lines) * size * LINE + (p.gap_before if chunk else 0.0)
        if chunk and used + h > limit:
            chunks.append(chunk)
            chunk, used, limit = [], 0.0, room
            h = len(p.lines) * size * LINE
        chunk.append(p)
        used += h
    chunks.append(chunk)
    for c in chunks:
        c[0].gap_before = 0.0
    return size, chunks


def _split_rows(heights: list[float], first_room: float, room: float) -> list[list[int]]:
    """Body row indexes (1-based, row 0 is the header) per page; the header repeats on each."""
    pages, current, used = [], [], heights[0]
    limit = first_room
    for i in range(1, len(heights)):
        if current and used + heights[i] > limit:
            pages.append(current)
            current, used, limit = [], heights[0], room
        current.append(i)
        used += heights[i]
    pages.append(current)
    return pages


def _table_box(x, y, size, pad_x, widths, rows, heights, spec, indexes) -> TableBox:
    chosen_rows = [rows[0]] + [rows[i] for i in indexes]
    chosen_heights = [heights[0]] + [heights[i] for i in indexes]
    fills = [HEAD_FILL] + [_fill(spec.kinds[i - 1], n) for n, i in enumerate(indexes)]
    return TableBox("table", x, y, sum(widths), sum(chosen_heights), widths, chosen_heights, chosen_rows, fills,
                    size, pad_x, size * 0.15)


def _body(slide, chart: float | bool | None, geo: Geometry, first: _Frame, frame_for,
          _table_box=_table_box) -> list[list]:
    """The body boxes of each page of the slide. `chart`: the slide has a chart – its aspect ratio
    (width/height), True when it fills its area, None when there is none. `frame_for(k)` gives
    page k's frame (header and footer; k ≥ 1 carry the follow-on kicker). `_table_box` makes a
    page's table box (slide_page_count passes one that makes none: no decision reads a box)."""
    m = geo.margin
    cont = frame_for(1)
    cont_room = cont.body_bottom - cont.body_top
    room = first.body_bottom - first.body_top
    spec = slide.table_spec
    min_h = 0.0
    if isinstance(chart, tuple):  # (aspect or True, the least height its rows need: see export.chart_needs)
        chart, min_h = chart
    aspect = chart if isinstance(chart, float) else None
    items = list(slide.bullets)
    gap = 14.0

    def bullets_box(paras, size, y):
        return TextBox("bullets", m, y, geo.inner, _text_height(paras, size), paras, size)

    # 1. Everything on one page, bullets and table stepping down together to their floors.
    if spec is not None and chart is None:
        bullet_sizes, table_sizes = geo.type.bullets, geo.type.table
        for k in range(max(len(bullet_sizes), len(table_sizes))):
            bsize = bullet_sizes[min(k, len(bullet_sizes) - 1)]
            paras = _paragraphs(items, bsize, geo.inner)
            used = _text_height(paras, bsize) + (gap if paras else 0.0)
            fitted = fit_table(spec, geo.inner, room - used, sizes=table_sizes[min(k, len(table_sizes) - 1):])
            size, pad_x, widths, rows, heights = fitted
            if sum(heights) <= room - used:
                boxes = [bullets_box(paras, bsize, first.body_top)] if paras else []
                boxes.append(_table_box(m, first.body_top + used, size, pad_x, widths, rows, heights, spec,
                                        list(range(1, len(rows)))))
                return [boxes]
    if spec is None and chart is None:
        size, chunks = _bullets_pages(items, geo.inner, room, cont_room, geo.type.bullets)
        return [[bullets_box(c, size, (first if n == 0 else cont).body_top)] for n, c in enumerate(chunks)]
    if spec is None and items:
        # a chart under its bullets: the bullets step down until the chart has the height its rows need
        for bsize in geo.type.bullets:
            paras = _paragraphs(items, bsize, geo.inner)
            used = _text_height(paras, bsize) + gap
            if room - used >= max(min_h, room * 0.5):
                return [[bullets_box(paras, bsize, first.body_top),
                         _place_image(aspect, m, first.body_top + used, geo.inner, room - used)]]

    # 2. Bullets (over pages if they must), then the chart and/or the table.
    pages: list[list] = [[]]
    top, bottom = first.body_top, first.body_bottom
    if items:
        share = 0.4 if chart is not None else 0.5  # leave the page's larger part to what follows
        size, chunks = _bullets_pages(items, geo.inner, room * share, cont_room, geo.type.bullets)
        for n, chunk in enumerate(chunks):
            if n:
                pages.append([])
                top, bottom = cont.body_top, cont.body_bottom
            pages[-1].append(bullets_box(chunk, size, top))
        top += _text_height(chunks[-1], size) + gap
    room = bottom - top
    if chart is not None and spec is not None:
        # chart left, table right; when the table does not fit beside the chart, the chart gets
        # this page and the table the next ones at full width
        for share in (0.42, 0.36, 0.3):
            left_w = geo.inner * share
            right_w = geo.inner - left_w - 18
            size, pad_x, widths, rows, heights = fit_table(spec, right_w, room, geo.type.table)
            if _widths(spec, size, right_w, pad_x) is not None and sum(heights) <= room:
                pages[-1].append(_place_image(aspect, m, top, left_w, room))
                pages[-1].append(_table_box(m + left_w + 18, top, size, pad_x, widths, rows, heights, spec,
                                            list(range(1, len(rows)))))
                return pages
        pages[-1].append(_place_image(aspect, m, top, geo.inner, room))
        pages.append([])
        top, room = cont.body_top, cont_room
    elif chart is not None:
        if room < max(min_h, (first.body_bottom - first.body_top) * 0.4) and pages[-1]:
            # too little left under the bullets: a chart squeezed below its rows' height is
            # unreadable, so it gets a follow-on slide of its own
            pages.append([])
            top, room = cont.body_top, cont_room
        pages[-1].append(_place_image(aspect, m, top, geo.inner, room))
        return pages
    size, pad_x, widths, rows, heights = fit_table(spec, geo.inner, room, geo.type.table)
    if sum(heights) > room:
        # at the floor: the same size and widths on every page, the rows split
        size, pad_x, widths, rows, heights = fit_table(spec, geo.inner, 0, sizes=[geo.type.table[-1]])
    for n, indexes in enumerate(_split_rows(heights, room, cont_room)):
        if n:
            pages.append([])
            top = cont.body_top
        pages[-1].append(_table_box(m, top, size, pad_x, widths, rows, heights, spec, indexes))
    return pages


SHORT_NAMES = {"titel": "Titel", "ekonomi": "Ekonomi", "avvikelser": "Avvikelser", "forandring": "Förändring",
               "prognossakerhet": "Prognossäkerhet", "mal": "Mål", "indikatorer": "Indikatorer", "risker": "Risker",
               "handelser": "Händelser"}

FOOTER_PROBE = " · bild 888 av 888"


def _no_table_box(*_args) -> None:
    return None


def slide_page_count(slide, png: float | bool | None, geo: Geometry) -> int:
    """len(lay_out_slide(slide, …)): the same attempts and decisions, without making the table
    boxes (and so the cells) of pages nobody looks at. The screen shows one page and numbers it
    "bild N av M": M is the sum of these over the deck (a new round's Prognosförändring at full
    scale is 223 pages of 2 000 rows)."""
    return len(_settled(slide, png, geo, _no_table_box)[1])


def lay_out_slide(slide, index: int, png: float | bool | None, geo: Geometry) -> list[Page]:
    """One slide as one or more pages (follow-on pages carry "Mål 2/3" above the title)."""
    frame_for, bodies = _settled(slide, png, geo, _table_box)
    return [Page(index, frame_for(k).boxes + body) for k, body in enumerate(bodies)]


def _settled(slide, png, geo: Geometry, table_box):
    """(frame_for, the body boxes per page) once the follow-on kicker's page count has settled."""
    probe = slide.source + FOOTER_PROBE

    def attempt(kicker_total: int | None):
        def frame_for(k: int) -> _Frame:
            kicker = f"{SHORT_NAMES.get(slide.kind, slide.kind)} {k + 1}/{kicker_total}" if kicker_total else None
            return _header(slide, geo, kicker, probe)

        first = frame_for(0)
        return frame_for, _body(slide, png, geo, first, frame_for, table_box)

    frame_for, bodies = attempt(None)
    if len(bodies) > 1:
        total = len(bodies)
        for _ in range(3):  # the kicker line takes room: settle the page count
            frame_for, bodies = attempt(total)
            if len(bodies) == total:
                break
            total = len(bodies)
        frame_for, bodies = attempt(len(bodies)) if len(bodies) != total else (frame_for, bodies)
    return frame_for, bodies


def lay_out(slides: list, charts: dict[int, float | bool], width: float, height: float,
            type_scale: TypeScale = PRINT, numbered: bool = True) -> list[Page]:
    """Every slide as pages on a `width` × `height` (points) slide; footers numbered "bild N av M".
    `charts`: slide index → the chart's aspect ratio (True: it fills its area). `numbered=False`
    leaves the footers to `number_page` (the screen shows one page: numbering the 276 pages of a
    full-scale deck measured 276 new footer texts per round for one that is seen)."""
    geo = Geometry(width, height, type_scale)
    pages: list[Page] = []
    for index, slide in enumerate(slides):
        pages += lay_out_slide(slide, index, charts.get(index), geo)
    if numbered:
        for number, page in enumerate(pages, start=1):
            _number_footer(page, slides, number, len(pages))
    return pages


def _number_footer(page: Page, slides: list, number: int, total: int) -> None:
    slide = slides[page.slide_index]
    for box in page.boxes:
        if box.role == "footer":
            text = f"{printable(slide.source)} · bild {number} av {total}"
            box.paragraphs = [Paragraph(wrap_footer(text, box.size, box.w))]


def number_page(page: Page, slides: list, number: int, total: int) -> Page:
    """A copy of an unnumbered page (lay_out(numbered=False)) with its footer numbered, as
    lay_out would have numbered it; the page itself is left as it was (it may be shared)."""
    import copy

    numbered = Page(page.slide_index, [copy.copy(box) if box.role == "footer" else box for box in page.boxes])
    _number_footer(numbered, slides, number, total)
    return numbered


def overlaps(a, b, tolerance: float = 0.5) -> bool:
    """Two boxes share area (touching edges do not count)."""
    return (a.x + tolerance < b.x + b.w and b.x + tolerance < a.x + a.w
            and a.y + tolerance < b.y + b.h and b.y + tolerance < a.y + a.h)
