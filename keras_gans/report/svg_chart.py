"""Line charts as plain SVG text (no plotting library needed)."""

import html
import math

import numpy as np

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
# Charts keep at most this many points per series: longer series are cut
# into buckets, each drawn by its lowest and highest point (spikes stay).
MAX_POINTS = 2000
_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 64, 16, 44, 40


def nice_ticks(low, high, count=5, integer=False):
    """Round tick values from at or below `low` to at or above `high`.

    Ticks are 1, 2, 2.5 or 5 times a power of ten apart, about `count` of
    them.

    Args:
        low, high: finite range to cover.
        count: wanted number of ticks (at least 2).
        integer: ticks at whole numbers only (a step of at least 1).

    Returns:
        A list of floats in increasing order.
    """
    low, high = float(low), float(high)
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"The tick range must be finite. Received: low={low}, high={high}")
    low, high = min(low, high), max(low, high)
    if high == low:
        pad = 1.0 if integer or low == 0 else abs(low) * 0.1
        low, high = low - pad, high + pad
    raw_step = (high - low) / max(int(count) - 1, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step * (1 - 1e-9))
    if integer:
        step = max(1.0, round(step))
    start = math.floor(low / step + 1e-9) * step
    stop = math.ceil(high / step - 1e-9) * step
    num_steps = int(round((stop - start) / step))
    return [round(start + i * step, 12) for i in range(num_steps + 1)]


def format_number(value):
    """A short label for a tick or a value: 4 significant digits."""
    if value == 0:
        return "0"
    return f"{value:.4g}"


def _thinned(xs, ys, max_points):
    if len(xs) <= max_points:
        return xs, ys
    keep = []
    for bucket in np.array_split(np.arange(len(xs)), max_points // 2):
        finite = bucket[np.isfinite(ys[bucket])]
        if len(finite) == 0:
            keep.append(bucket[0])  # a gap stays a gap
            continue
        keep += sorted({finite[np.argmin(ys[finite])], finite[np.argmax(ys[finite])]})
    keep = np.asarray(keep)
    return xs[keep], ys[keep]


def line_chart(series, title="", x_label="", width=560, height=300, max_points=MAX_POINTS):
    """Draws series of `(x, y)` points as an SVG line chart.

    Non-finite values leave gaps in the lines. Series of up to 40 points also
    get a dot at each point, so that a few epochs read clearly.

    Args:
        series: list of `(name, xs, ys)`.
        title: chart title.
        x_label: label under the x axis.
        width, height: size in pixels.
        max_points: most points drawn per series.

    Returns:
        The `<svg>` element as a string.

    Example:

    ```python
    svg = line_chart([("d_loss", [1, 2, 3], [1.4, 1.2, 1.3])], title="Losses",
                     x_label="epoch")
    ```
    """
    plot_left, plot_top = _MARGIN_LEFT, _MARGIN_TOP
    plot_right, plot_bottom = width - _MARGIN_RIGHT, height - _MARGIN_BOTTOM
    prepared = []
    for name, xs, ys in series:
        xs, ys = np.asarray(xs, np.float64), np.asarray(ys, np.float64)
        if xs.shape != ys.shape or xs.ndim != 1:
            raise ValueError(
                f"Series {name!r} needs as many x as y values. Received: "
                f"{xs.shape[0] if xs.ndim else 0} x and {ys.shape[0] if ys.ndim else 0} y values"
            )
        order = np.argsort(xs, kind="stable")
        prepared.append((str(name), *_thinned(xs[order], ys[order], max_points)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{plot_left}" y="17" font-size="14" font-weight="bold" fill="#222">'
        f"{html.escape(title)}</text>",
    ]
    finite_x = np.concatenate([xs[np.isfinite(ys) & np.isfinite(xs)] for _, xs, ys in prepared] or [[]])
    finite_y = np.concatenate([ys[np.isfinite(ys) & np.isfinite(xs)] for _, xs, ys in prepared] or [[]])
    if len(finite_y) == 0:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" font-size="12" '
            'fill="#888">no finite values</text></svg>'
        )
        return "".join(parts)
    integer_x = bool(np.all(finite_x == np.round(finite_x)))
    x_ticks = nice_ticks(finite_x.min(), finite_x.max(), count=6, integer=integer_x)
    y_ticks = nice_ticks(finite_y.min(), finite_y.max(), count=5)
    x_low, x_high, y_low, y_high = x_ticks[0], x_ticks[-1], y_ticks[0], y_ticks[-1]

    def px(x):
        return plot_left + (x - x_low) / (x_high - x_low) * (plot_right - plot_left)

    def py(y):
        return plot_bottom - (y - y_low) / (y_high - y_low) * (plot_bottom - plot_top)

    for tick in y_ticks:
        y = py(tick)
        parts.append(
            f'<line x1="{plot_left}" y1="{y:.1f}" x2="{plot_right}" y2="{y:.1f}" stroke="#e6e6e6"/>'
            f'<text x="{plot_left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#333">{format_number(tick)}</text>'
        )
    for tick in x_ticks:
        x = px(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" y2="{plot_bottom}" stroke="#f0f0f0"/>'
            f'<text x="{x:.1f}" y="{plot_bottom + 16}" text-anchor="middle" font-size="11" '
            f'fill="#333">{format_number(tick)}</text>'
        )
    parts.append(
        f'<rect x="{plot_left}" y="{plot_top}" width="{plot_right - plot_left}" '
        f'height="{plot_bottom - plot_top}" fill="none" stroke="#888"/>'
    )
    if x_label:
        parts.append(
            f'<text x="{(plot_left + plot_right) / 2}" y="{height - 8}" text-anchor="middle" '
            f'font-size="12" fill="#333">{html.escape(x_label)}</text>'
        )
    legend_x = plot_left
    for index, (name, xs, ys) in enumerate(prepared):
        color = PALETTE[index % len(PALETTE)]
        parts.append(f'<g class="series" data-name="{html.escape(name)}">')
        segments, current = [], []
        for x, y in zip(xs, ys):
            if math.isfinite(x) and math.isfinite(y):
                current.append(f"{px(x):.1f},{py(y):.1f}")
            elif current:
                segments.append(current)
                current = []
        if current:
            segments.append(current)
        for segment in segments:
            parts.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="1.8" '
                f'stroke-linejoin="round" points="{" ".join(segment)}"/>'
            )
        if len(xs) <= 40:
            for x, y in zip(xs, ys):
                if math.isfinite(x) and math.isfinite(y):
                    parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{color}"/>')
        parts.append("</g>")
        parts.append(
            f'<line x1="{legend_x}" y1="31" x2="{legend_x + 18}" y2="31" stroke="{color}" '
            f'stroke-width="3"/><text x="{legend_x + 22}" y="35" font-size="12" fill="#222">'
            f"{html.escape(name)}</text>"
        )
        legend_x += 32 + 7 * len(name)
    parts.append("</svg>")
    return "".join(parts)
