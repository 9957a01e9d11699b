"""SVG line charts: tick choice and point geometry, checked on the parsed SVG."""

import math
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest

from keras_gans.report import line_chart
from keras_gans.report import nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def polylines(svg, name):
    root = ElementTree.fromstring(svg)
    group = [g for g in root.iter(f"{SVG}g") if g.get("data-name") == name]
    assert len(group) == 1, name
    lines = []
    for line in group[0].iter(f"{SVG}polyline"):
        lines.append(np.array([[float(c) for c in p.split(",")] for p in line.get("points").split()]))
    return lines


def plot_frame(svg):
    """(left, top, right, bottom) of the plot rectangle (the unfilled rect)."""
    root = ElementTree.fromstring(svg)
    frame = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none"][0]
    left, top = float(frame.get("x")), float(frame.get("y"))
    return left, top, left + float(frame.get("width")), top + float(frame.get("height"))


def assert_affine(values, pixels, increasing):
    """pixels = a * values + b (up to the 0.1-pixel rounding), a's sign as given."""
    design = np.stack([values, np.ones_like(values)], axis=1)
    (slope, _), *_ = np.linalg.lstsq(design, pixels, rcond=None)
    residual = pixels - design @ np.linalg.lstsq(design, pixels, rcond=None)[0]
    assert np.abs(residual).max() <= 0.06
    assert (slope > 0) == increasing


@pytest.mark.parametrize(
    "low, high", [(0.0, 1.0), (0.6, 1.4), (-3.2, 17.9), (1e-5, 3e-4), (1234.0, 1236.5), (-2.0, -2.0)]
)
def test_nice_ticks_cover_the_range_with_round_steps(low, high):
    ticks = np.array(nice_ticks(low, high))
    assert ticks[0] <= low and ticks[-1] >= high
    steps = np.diff(ticks)
    np.testing.assert_allclose(steps, steps[0], rtol=1e-9)
    mantissa = steps[0] / 10.0 ** math.floor(math.log10(steps[0]))
    assert min(abs(mantissa - m) for m in (1, 2, 2.5, 5, 10)) < 1e-9
    assert 3 <= len(ticks) <= 9
    if low < high:  # not wider than needed: one step less would not cover
        assert ticks[1] > low and ticks[-2] < high


def test_integer_ticks_and_bad_ranges():
    assert nice_ticks(1, 3, count=6, integer=True) == [1, 2, 3]
    assert nice_ticks(1, 1, integer=True) == [0, 1, 2]
    assert all(t == int(t) for t in nice_ticks(1, 80, count=6, integer=True))
    with pytest.raises(ValueError, match="finite"):
        nice_ticks(0, float("nan"))


def test_points_are_an_affine_image_of_the_values():
    rng = np.random.default_rng(0)
    xs = np.arange(1, 31)
    d_loss, g_loss = rng.uniform(0.5, 1.5, 30), rng.uniform(0.0, 3.0, 30)
    svg = line_chart([("d_loss", xs, d_loss), ("g_loss", xs, g_loss)], title="Losses", x_label="epoch")
    left, top, right, bottom = plot_frame(svg)
    both = []
    for name, values in (("d_loss", d_loss), ("g_loss", g_loss)):
        (points,) = polylines(svg, name)
        assert len(points) == 30
        assert_affine(xs.astype(float), points[:, 0], increasing=True)
        assert_affine(values, points[:, 1], increasing=False)  # SVG y grows downwards
        assert np.all((points[:, 0] >= left - 0.05) & (points[:, 0] <= right + 0.05))
        assert np.all((points[:, 1] >= top - 0.05) & (points[:, 1] <= bottom + 0.05))
        both.append(points)
    # One y scale for both series: equal values sit at equal heights.
    pooled = np.concatenate([d_loss, g_loss])
    assert_affine(pooled, np.concatenate([p[:, 1] for p in both]), increasing=False)
    # Thirty points get a dot each.
    root = ElementTree.fromstring(svg)
    assert len(list(root.iter(f"{SVG}circle"))) == 60


def test_gaps_unsorted_input_escaping_and_no_data():
    xs = np.array([5, 1, 2, 3, 4, 6])
    ys = np.array([5.0, 1.0, 2.0, np.nan, 4.0, np.inf])
    svg = line_chart([("<d&loss>", xs, ys)], title="a < b")
    ElementTree.fromstring(svg)  # well-formed despite the markup characters
    assert "&lt;d&amp;loss&gt;" in svg and "a &lt; b" in svg
    lines = polylines(svg, "<d&loss>")
    # Sorted by x; the NaN at x=3 cuts the line; the inf at x=6 is dropped.
    assert [len(line) for line in lines] == [2, 2]
    assert lines[0][0, 0] < lines[0][1, 0] < lines[1][0, 0] < lines[1][1, 0]
    empty = line_chart([("x", [1, 2], [np.nan, np.nan])])
    assert "no finite values" in empty and "polyline" not in empty
    with pytest.raises(ValueError, match="as many x as y"):
        line_chart([("x", [1, 2, 3], [1.0, 2.0])])


def test_long_series_are_thinned_but_keep_spikes():
    xs = np.arange(20_000)
    ys = np.sin(xs / 500.0)
    ys[12_345] = 40.0  # one spike
    svg = line_chart([("loss", xs, ys)], max_points=1000)
    (points,) = polylines(svg, "loss")
    assert len(points) <= 1000
    _, top, _, _ = plot_frame(svg)
    # The spike is the highest point (smallest y pixel) and is still drawn.
    assert points[:, 1].min() == pytest.approx(top, abs=0.1)  # ticks -20 .. 40
    top_point = points[np.argmin(points[:, 1])]
    others = points[np.argsort(points[:, 1])[1], 1]
    assert others - top_point[1] > 100
