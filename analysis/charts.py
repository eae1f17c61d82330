"""Matplotlib figures of the HR and trainer views.

Every function takes already translated labels and plain numbers and returns a
:class:`matplotlib.figure.Figure` built directly (no pyplot, so no global state and no
interactive backend); the caller serialises it, e.g. ``figure.savefig(buffer, format="png")``.

Readable in print and in grayscale: sequential colours whose lightness changes monotonically
(viridis), every value also written as text, lines with markers, no meaning carried by hue
alone. Labels are set in DejaVu Sans, shipped with Matplotlib, which has every letter of the
Kazakh Cyrillic alphabet (ә ғ қ ң ө ұ ү һ і). nan values are drawn as empty cells / gaps.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import cast

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes
from numpy.typing import ArrayLike

FONT = "DejaVu Sans"
INK = "#1b1f24"
DPI = 110


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    return figure


def _wrap(label: str, width: int = 28) -> str:
    # Lines break between words only: a word longer than the line stays whole.
    lines = textwrap.wrap(str(label), width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) or str(label)


def number(value: float, digits: int = 2, decimal: str = ".") -> str:
    """``value`` with ``digits`` decimals and the page's decimal separator (``","`` for kk, ru)."""
    return f"{value:.{digits}f}".replace(".", decimal)


def _share(value: float) -> str:
    """A share 0..1 as a whole percentage ("43%")."""
    return f"{value * 100:.0f}%"


def _style(ax: Axes, title: str, width: float) -> None:
    # The title sits over the whole figure (not only over the axes, which long tick labels push
    # to the right) and is wrapped to its width in inches, so no language's title is cut.
    characters = int(width * 8.5)
    figure = ax.get_figure()
    assert figure is not None
    figure.suptitle(_wrap(title, characters), fontfamily=FONT, color=INK, fontsize=11,
                    x=0.01, ha="left")
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontfamily(FONT)


def radar(labels: Sequence[str], values: ArrayLike, title: str, low: float = 1.0,
          high: float = 5.0, decimal: str = ".") -> Figure:
    """Sub-scores on a closed polygon, one axis per label, on the ``low``–``high`` scale.

    ``values``: float (n_labels,), nan drawn at the centre with its label marked "—".
    """
    data = np.asarray(values, dtype=float)
    if data.shape != (len(labels),) or len(labels) < 3:
        raise ValueError("a radar needs at least three labels and one value per label")
    angles = np.linspace(0, 2 * np.pi, len(labels), endpoint=False)
    shown = np.where(np.isfinite(data), data, low)
    figure = _figure(6.4, 5.2)
    ax = cast(PolarAxes, figure.add_subplot(projection="polar"))
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    closed = np.append(angles, angles[0])
    ax.plot(closed, np.append(shown, shown[0]), color=INK, linewidth=2, marker="o")
    ax.fill(closed, np.append(shown, shown[0]), color="#6b7b8c", alpha=0.25)
    ax.set_ylim(low, high)
    ax.set_yticks(np.arange(low, high + 0.01, 1.0))
    ax.set_xticks(angles)
    ax.tick_params(axis="x", pad=10)
    ax.set_xticklabels([
        f"{_wrap(label, 18)}\n{number(value, 2, decimal)}" if np.isfinite(value)
        else f"{_wrap(label, 18)}\n—"
        for label, value in zip(labels, data, strict=True)
    ], fontsize=8)
    _style(ax, title, figure.get_figwidth())
    return figure


def heatmap(row_labels: Sequence[str], column_labels: Sequence[str], values: ArrayLike,
            title: str, colour_label: str, percent: bool = True, decimal: str = ".") -> Figure:
    """A rows × columns table of values in 0..1 (``percent``) as shaded cells with the value
    written in each; nan cells (suppressed or not measured) are white with "—"."""
    data = np.asarray(values, dtype=float)
    if data.shape != (len(row_labels), len(column_labels)):
        raise ValueError("values must be (n_rows, n_columns)")
    # Competence names are long in every language: wrapped between words, level, under columns
    # wide enough; the figure stays within about 11.5 inches so a page shows it at full size.
    height = 2.6 + 0.38 * max(len(row_labels), 1)
    column = min(1.05, 8.3 / max(len(column_labels), 1))
    figure = _figure(max(6.4, 3.2 + column * len(column_labels)), height)
    ax = figure.add_subplot()
    cmap = colormaps["viridis_r"].with_extremes(bad="white")
    image = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=1 if percent else None,
                      aspect="auto")
    for (i, j), value in np.ndenumerate(data):
        if np.isfinite(value):
            rgba = cmap(image.norm(value))
            light = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
            text = _share(value) if percent else number(value, 2, decimal)
            ax.text(j, i, text, ha="center", va="center", fontsize=8, fontfamily=FONT,
                    color="white" if light < 0.5 else INK)
        else:
            ax.text(j, i, "—", ha="center", va="center", fontsize=8, color=INK)
    ax.set_xticks(range(len(column_labels)))
    ax.set_xticklabels([_wrap(c, 12) for c in column_labels], rotation=0, ha="center",
                       fontsize=7.5)
    ax.set_yticks(range(len(row_labels)))
    ax.set_yticklabels([_wrap(r, 40) for r in row_labels], fontsize=8)
    bar = figure.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(_wrap(colour_label, 30), fontfamily=FONT)
    if percent:
        bar.ax.yaxis.set_major_formatter(lambda x, _pos: _share(x))
    else:
        bar.ax.yaxis.set_major_formatter(lambda x, _pos: number(x, 2, decimal))
    _style(ax, title, figure.get_figwidth())
    return figure



def bars(labels: Sequence[str], values: ArrayLike, title: str, axis_label: str,
         percent: bool = False, limit: float | None = None, decimal: str = ".") -> Figure:
    """Horizontal bars, one per label, the value written at the end of each; nan = no bar, "—"."""
    data = np.asarray(values, dtype=float)
    if data.shape != (len(labels),):
        raise ValueError("one value per label")
    figure = _figure(6.4, 1.4 + 0.34 * max(len(labels), 1))
    ax = figure.add_subplot()
    positions = np.arange(len(labels))
    ax.barh(positions, np.nan_to_num(data), color="#4a5361", edgecolor=INK, hatch="//")
    top = limit if limit is not None else (float(np.nanmax(data)) if np.isfinite(data).any() else 1.0)
    for y, value in zip(positions, data, strict=True):
        text = "—" if not np.isfinite(value) else (
            _share(value) if percent else f"{value:g}".replace(".", decimal))
        ax.text((value if np.isfinite(value) else 0) + top * 0.01, float(y), text, va="center",
                fontsize=8, fontfamily=FONT, color=INK)
    ax.set_yticks(positions)
    ax.set_yticklabels([_wrap(label, 40) for label in labels], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.15 if top > 0 else 1)
    ax.set_xlabel(axis_label, fontfamily=FONT)
    if percent:
        ax.xaxis.set_major_formatter(lambda x, _pos: _share(x))
    else:
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:g}".replace(".", decimal))
    _style(ax, title, figure.get_figwidth())
    return figure
