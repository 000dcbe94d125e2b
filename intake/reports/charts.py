"""Bar charts drawn on the server: the geometry of an accessible SVG and its data table.

A chart is computed here, as plain numbers and strings, and drawn by
`templates/intake/reports/bar_chart.html` (the `bar_chart` tag of `report_tags`): no
JavaScript, no chart library, colours from classes of `static/css/reports.css` (the DSFR's
custom properties, so that the dark theme holds), never a style attribute (the CSP forbids
them). Values are numbers, or a suppressed figure (`Suppressed`, or a string such as "< 5"),
which is drawn as a hatched stub and shown as its text in the table.
"""

import hashlib
import math
import textwrap
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

VERTICAL, HORIZONTAL = "vertical", "horizontal"
# The drawing's coordinates (its viewBox); the CSS scales it to the width of its container.
WIDTH = 640
CHAR_WIDTH = 6.6  # of a 12-unit label, on average: enough to lay labels out without a browser
LINE_HEIGHT = 14
STUB = 4  # the length of a suppressed figure's hatched stub
LABEL_HEADER, VALUE_HEADER = _("Catégorie"), _("Valeur")


@dataclass(frozen=True)
class Suppressed:
    """A figure too small to be shown without singling someone out, shown as its label."""

    label: str = "< 5"

    def __str__(self):
        return self.label


SUPPRESSED = Suppressed()


def is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_value(value):
    if not (is_number(value) or isinstance(value, Suppressed | str)):
        raise TypeError(f"A figure is a number or a suppressed figure, not {value!r}")
    return value


def format_value(value, *, decimals=1, unit=""):
    """A figure as the page shows it: French digits ("1 234", "12,5 %") or its suppressed
    label."""
    if not is_number(value):
        return str(value)
    text = number_format(value, decimals if isinstance(value, float) else None, force_grouping=True)
    return f"{text}\N{NO-BREAK SPACE}{unit}" if unit else text


def figure_id(kind, title, *parts):
    """An id unique to a figure on its page and the same on every render: the title's slug
    and a digest of what the figure shows."""
    digest = hashlib.sha1(repr((kind, str(title), parts)).encode()).hexdigest()[:8]
    return f"{kind}-{slugify(str(title))[:40]}-{digest}"


def nice_step(span, count):
    """A round step (1, 2 or 5 times a power of ten) cutting `span` in at most `count`."""
    if span <= 0:
        return 1
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


@dataclass(frozen=True)
class Tick:
    value: float
    text: str
    position: float  # x of a vertical chart's gridline… y of a horizontal chart's, or x


@dataclass(frozen=True)
class Bar:
    label: str
    value: object
    text: str
    suppressed: bool
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    label_lines: tuple
    value_x: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    orientation: str
    label_header: str
    value_header: str
    patterned: bool
    width: float
    height: float
    plot: dict  # left, top, right, bottom of the plotting area
    ticks: list
    bars: list

    @property
    def horizontal(self):
        return self.orientation == HORIZONTAL

    @property
    def hatched(self):
        """Whether the drawing needs its hatch pattern."""
        return self.patterned or any(bar.suppressed for bar in self.bars)


def scale(values, count=5):
    """The axis' top (never zero) and its ticks' values, from zero."""
    top = max([value for value in values if is_number(value)], default=0)
    step = nice_step(top, count)
    if all(isinstance(value, int) for value in values if is_number(value)):
        step = max(1, math.ceil(step))
    ticks = [step * index for index in range(max(1, math.ceil(top / step)) + 1)]
    return ticks[-1], ticks


def tick_text(value, step):
    decimals = 0 if float(step).is_integer() else max(0, -math.floor(math.log10(step)))
    return number_format(value if decimals else int(value), decimals or None, force_grouping=True)


def bar_chart(
    *,
    title,
    description,
    data,
    orientation=VERTICAL,
    label_header=LABEL_HEADER,
    value_header=VALUE_HEADER,
    unit="",
    decimals=1,
    patterned=False,
    id=None,
):
    """A bar chart of `data`, a list of (label, value): vertical bars for a series (months),
    horizontal bars for categories; `patterned` hatches the bars (for printing and for readers
    who do not tell colours apart: each bar is labelled with its figure in any case)."""
    if orientation not in (VERTICAL, HORIZONTAL):
        raise ValueError(f"orientation is {VERTICAL!r} or {HORIZONTAL!r}, not {orientation!r}")
    data = [(str(label), check_value(value)) for label, value in data]
    values = [value for _label, value in data]
    top, tick_values = scale(values)
    step = tick_values[1] if len(tick_values) > 1 else 1
    texts = [format_value(value, decimals=decimals, unit=unit) for value in values]
    layout = lay_out_horizontal if orientation == HORIZONTAL else lay_out_vertical
    width, height, plot, ticks, bars = layout(data, texts, top, tick_values, step)
    return BarChart(
        id=id or figure_id("graphique", title, orientation, data),
        title=str(title),
        description=str(description),
        orientation=orientation,
        label_header=str(label_header),
        value_header=str(value_header),
        patterned=patterned,
        width=width,
        height=height,
        plot=plot,
        ticks=ticks,
        bars=bars,
    )


def wrap_labels(data, chars):
    """Each label in lines of about `chars` characters (SVG text does not wrap)."""
    return [tuple(textwrap.wrap(label, chars, break_long_words=False) or [""]) for label, _ in data]


def lay_out_vertical(data, texts, top, tick_values, step):
    slot = (WIDTH - 64 - 8) / max(1, len(data))
    chars = max(4, int(slot / CHAR_WIDTH))
    wrapped = wrap_labels(data, chars)
    lines = max((len(label) for label in wrapped), default=1)
    plot = {"left": 64, "top": 32, "right": WIDTH - 8, "bottom": 32 + 220}
    height = plot["bottom"] + 12 + LINE_HEIGHT * lines + 28
    span = plot["bottom"] - plot["top"]

    def y_of(value):
        return plot["bottom"] - span * value / top

    ticks = [Tick(value, tick_text(value, step), y_of(value)) for value in tick_values]
    bars = []
    for index, ((label, value), text, label_lines) in enumerate(
        zip(data, texts, wrapped, strict=True)
    ):
        suppressed = not is_number(value)
        length = STUB if suppressed else plot["bottom"] - y_of(value)
        x = plot["left"] + slot * index + slot * 0.2
        centre = plot["left"] + slot * (index + 0.5)
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                suppressed=suppressed,
                x=round(x, 2),
                y=round(plot["bottom"] - length, 2),
                width=round(slot * 0.6, 2),
                height=round(length, 2),
                label_x=round(centre, 2),
                label_y=plot["bottom"] + 18,
                label_lines=label_lines,
                value_x=round(centre, 2),
                value_y=round(plot["bottom"] - length - 6, 2),
            )
        )
    return WIDTH, height, plot, ticks, bars


def lay_out_horizontal(data, texts, top, tick_values, step):
    longest = max((len(label) for label, _ in data), default=0)
    label_width = min(260, longest * CHAR_WIDTH + 8)
    chars = max(8, int((label_width - 8) / CHAR_WIDTH))
    wrapped = wrap_labels(data, chars)
    value_width = max((len(text) for text in texts), default=1) * CHAR_WIDTH + 12
    plot = {"left": label_width + 8, "top": 28, "right": WIDTH - value_width}
    rows = [max(32, LINE_HEIGHT * len(lines) + 16) for lines in wrapped]
    plot["bottom"] = plot["top"] + sum(rows)
    height = plot["bottom"] + 44
    span = plot["right"] - plot["left"]

    def x_of(value):
        return plot["left"] + span * value / top

    ticks = [Tick(value, tick_text(value, step), round(x_of(value), 2)) for value in tick_values]
    bars = []
    row_top = plot["top"]
    for (label, value), text, label_lines, row in zip(data, texts, wrapped, rows, strict=True):
        suppressed = not is_number(value)
        length = STUB if suppressed else x_of(value) - plot["left"]
        centre = row_top + row / 2
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                suppressed=suppressed,
                x=plot["left"],
                y=round(centre - 9, 2),
                width=round(length, 2),
                height=18,
                label_x=label_width,
                # The first line's baseline, so that the lines sit centred on the bar.
                label_y=round(centre + 4 - LINE_HEIGHT * (len(label_lines) - 1) / 2, 2),
                label_lines=label_lines,
                value_x=round(plot["left"] + length + 6, 2),
                value_y=round(centre + 4, 2),
            )
        )
        row_top += row
    return WIDTH, height, plot, ticks, bars
