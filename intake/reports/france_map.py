"""The map of France by département, overseas included: a figure per département, in classes.

The shapes come from `data/france-departments.json` (see its README: svg-maps, CC BY 4.0),
read once per process; Paris and its petite couronne are drawn a second time, larger, inside
the same links. Drawn by `templates/intake/reports/france_map.html` (the `france_map`
tag of `report_tags`): each département is a link to its row of the data table, named by its
name and figure, whose figure shows in the map's corner while it has the focus (CSS only).
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .charts import check_value, figure_id, format_value, is_number

DATA_FILE = Path(__file__).resolve().parent / "data" / "france-departments.json"
CLASSES = 4  # besides the class of zero
LABEL_HEADER, VALUE_HEADER = gettext_lazy("Département"), gettext_lazy("Nombre")


@cache
def geography():
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def departement_codes():
    """The INSEE codes of the départements the map draws, in its order (not the overseas
    collectivités of the Pacific, 987 and 988)."""
    return [item["code"] for item in geography()["departements"]]


@dataclass(frozen=True)
class MapClass:
    index: int  # 0 for zero, then 1 to CLASSES from the lowest figures to the highest
    label: str
    lower: int | None  # None for the suppressed figures' class


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str
    value: object
    text: str
    map_class: MapClass
    zoomed: bool  # drawn again in the zoom on Paris and its petite couronne

    @property
    def place(self):
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class Inset:
    name: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Zoom:
    x: float
    y: float
    width: float
    height: float
    transform: str  # the SVG transform that draws a shape again inside the frame


@dataclass(frozen=True)
class FranceMap:
    id: str
    title: str
    description: str
    label_header: str
    value_header: str
    width: float
    height: float
    attribution: str
    classes: list
    areas: list
    insets: list
    zoom: Zoom


def round_step(raw):
    """The largest of 1, 2, 5, 10, 20… at most `raw` (1 at least): the highest class starts
    at or under the highest figure, so that it is never empty."""
    if raw < 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(raw))
    return max(multiple * magnitude for multiple in (1, 2, 5) if multiple * magnitude <= raw)


def classes_for(values, breaks=None):
    """The legend's classes: zero, then CLASSES ranges of counts, the lowest one being the
    suppressed figures ("< 5") when there are any. `breaks` are the lower bounds of the ranges
    (computed from the figures when not given: round steps up to the highest)."""
    suppressed = [value for value in values if not is_number(value)]
    counts = [value for value in values if is_number(value) and value > 0]
    floor = 5 if suppressed else 1
    count = CLASSES - 1 if suppressed else CLASSES
    if breaks is None:
        step = round_step(max(counts, default=floor) / count)
        breaks = [floor, *(step * index for index in range(1, count) if step * index > floor)]
    classes = [MapClass(0, "0", 0)]
    if suppressed:
        classes.append(MapClass(1, str(suppressed[0]), None))
    for index, lower in enumerate(breaks):
        if index + 1 < len(breaks):
            upper = breaks[index + 1] - 1
            label = (
                format_value(lower)
                if upper == lower
                else _("%(lower)s à %(upper)s")
                % {"lower": format_value(lower), "upper": format_value(upper)}
            )
        else:
            label = _("%(lower)s et plus") % {"lower": format_value(lower)}
        classes.append(MapClass(len(classes), label, lower))
    return classes


def class_of(value, classes):
    if not is_number(value):
        return next(map_class for map_class in classes if map_class.lower is None)
    if value <= 0:
        return classes[0]
    ranges = [map_class for map_class in classes[1:] if map_class.lower is not None]
    return next(
        (map_class for map_class in reversed(ranges) if value >= map_class.lower), ranges[0]
    )


def france_map(
    *,
    title,
    description,
    values,
    label_header=LABEL_HEADER,
    value_header=VALUE_HEADER,
    breaks=None,
    id=None,
):
    """The map of `values`, {INSEE code of a département ("01", "2A", "971"…): count or
    suppressed figure}; a département missing from it counts 0."""
    unknown = sorted(set(values) - set(departement_codes()))
    if unknown:
        raise ValueError(f"Unknown départements: {', '.join(unknown)}")
    values = {code: check_value(value) for code, value in values.items()}
    classes = classes_for(list(values.values()), breaks)
    zoom = geography()["zoom"]
    names = {}
    areas = []
    for item in geography()["departements"]:
        value = values.get(item["code"], 0)
        names[item["code"]] = item["name"]
        areas.append(
            Area(
                code=item["code"],
                name=item["name"],
                path=item["path"],
                value=value,
                text=format_value(value),
                map_class=class_of(value, classes),
                zoomed=item["code"] in zoom["codes"],
            )
        )
    return FranceMap(
        id=id or figure_id("carte", title, sorted(values.items())),
        title=str(title),
        description=str(description),
        label_header=str(label_header),
        value_header=str(value_header),
        width=geography()["width"],
        height=geography()["height"],
        attribution=geography()["attribution"],
        classes=classes,
        areas=areas,
        insets=[
            Inset(names[inset["code"]], inset["x"], inset["y"], inset["width"], inset["height"])
            for inset in geography()["insets"]
        ],
        zoom=Zoom(zoom["x"], zoom["y"], zoom["width"], zoom["height"], zoom["transform"]),
    )
