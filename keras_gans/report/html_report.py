"""`write_report`: one self-contained HTML page about a training run."""

import base64
import html
import json
import math
import os
import re

import numpy as np

from keras_gans.report.run_folder import read_run
from keras_gans.report.svg_chart import format_number
from keras_gans.report.svg_chart import line_chart

REPORT_FILE = "report.html"
_FAILURE_LINE = re.compile(r"^- \*\*(?P<kind>[^*]+)\*\*: (?P<message>.*)$")
_STYLE = """
body { font-family: sans-serif; color: #222; max-width: 1160px; margin: 16px auto; padding: 0 12px; }
h1 { font-size: 22px; margin: 8px 0; }
h2 { font-size: 17px; margin: 22px 0 8px; border-bottom: 1px solid #ddd; }
.summary { color: #444; margin: 4px 0 10px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.chart { border: 1px solid #ddd; }
.samples { display: flex; flex-wrap: wrap; gap: 10px; }
figure { margin: 0; text-align: center; font-size: 12px; color: #444; }
figure img { width: 200px; image-rendering: pixelated; border: 1px solid #ddd; display: block; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
pre { background: #f7f7f7; padding: 8px; font-size: 12px; overflow-x: auto; }
.none { color: #666; font-style: italic; }
footer { margin-top: 28px; color: #777; font-size: 12px; }
"""


def _series_of(history, epochs, key):
    points = [(e, row[key]) for e, row in zip(epochs, history) if key in row]
    return [p[0] for p in points], [_float(p[1]) for p in points]


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _keys(history):
    keys = []
    for row in history:
        keys += [k for k in row if k not in keys]
    return keys


def _charts(run):
    history, epochs, scalars = run["history"], run["epochs"], run["scalars"]
    keys = _keys(history)
    uncertainties = {k for k in keys if k.endswith("_std") and k[: -len("_std")] in keys}
    loss_keys = [k for k in keys if k.endswith("loss")]
    step_tags = [t for t in scalars if t.startswith("step/")]
    step_losses = [t for t in step_tags if t.endswith("loss")]
    rate_tags = sorted(t for t in scalars if t.startswith("learning_rate/"))

    def tag_series(tag, prefix):
        steps, values = zip(*scalars[tag])
        return tag[len(prefix) :], list(steps), list(values)

    charts = []
    if loss_keys:
        charts.append(
            line_chart(
                [(k, *_series_of(history, epochs, k)) for k in loss_keys],
                title="Losses (epoch means)",
                x_label="epoch",
            )
        )
    if step_losses:
        charts.append(
            line_chart(
                [tag_series(t, "step/") for t in step_losses],
                title="Losses per training step",
                x_label="step",
            )
        )
    for key in keys:
        if key not in loss_keys and key not in uncertainties:
            charts.append(
                line_chart(
                    [(key, *_series_of(history, epochs, key))],
                    title=f"{key} per epoch",
                    x_label="epoch",
                )
            )
    for tag in step_tags:
        if tag not in step_losses:
            charts.append(
                line_chart(
                    [tag_series(tag, "step/")],
                    title=f"{tag[len('step/') :]} per training step",
                    x_label="step",
                )
            )
    if rate_tags:
        charts.append(
            line_chart(
                [tag_series(t, "learning_rate/") for t in rate_tags],
                title="Learning rates",
                x_label="epoch",
            )
        )
    return charts


def _final_values(run):
    if not run["history"]:
        return ""
    last = run["history"][-1]
    rows = []
    for key, value in last.items():
        if key.endswith("_std") and key[: -len("_std")] in last:
            continue
        shown = format_number(_float(value))
        if f"{key}_std" in last:
            shown += f" ± {format_number(_float(last[f'{key}_std']))}"
        rows.append(f"<tr><td>{html.escape(key)}</td><td>{html.escape(shown)}</td></tr>")
    return (
        f"<h3>Last epoch ({run['epochs'][-1]})</h3><table><tr><th>name</th><th>value</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _failures(run):
    if "failure_monitor/failures" not in run["scalars"] and "failure_monitor/events" not in run["texts"]:
        return '<p class="none">This run had no failure monitor.</p>'
    rows = []
    for epoch, text in run["texts"].get("failure_monitor/events", []):
        for line in text.splitlines():
            match = _FAILURE_LINE.match(line)
            kind, message = (match["kind"], match["message"]) if match else ("", line)
            rows.append(
                f"<tr><td>{epoch}</td><td>{html.escape(kind)}</td><td>{html.escape(message)}</td></tr>"
            )
    if not rows:
        checked = len(run["scalars"].get("failure_monitor/failures", []))
        return f'<p class="none">No failure diagnosed ({checked} epochs checked).</p>'
    return "<table><tr><th>epoch</th><th>diagnosis</th><th>explanation</th></tr>" + "".join(rows) + "</table>"


def _samples(run, max_sample_grids):
    samples = run["samples"]
    if not samples:
        return '<p class="none">No sample pictures (samples/epoch_NNN.png).</p>'
    if len(samples) > max_sample_grids:
        picks = np.unique(np.round(np.linspace(0, len(samples) - 1, max_sample_grids)).astype(int))
        samples = [samples[i] for i in picks]
    figures = []
    for epoch, path in samples:
        with open(path, "rb") as f:
            encoded = base64.b64encode(f.read()).decode("ascii")
        figures.append(
            f'<figure><img alt="samples after epoch {epoch}" src="data:image/png;base64,{encoded}">'
            f"<figcaption>epoch {epoch}</figcaption></figure>"
        )
    shown = f"{len(samples)} of {len(run['samples'])} pictures" if len(samples) < len(run["samples"]) else ""
    note = f'<p class="none">{shown}, evenly spaced.</p>' if shown else ""
    return note + '<div class="samples">' + "".join(figures) + "</div>"


def _flatten(value, prefix=""):
    if isinstance(value, dict) and value:
        rows = []
        for key, item in value.items():
            rows += _flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return rows
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [(prefix, "\n".join(value))]
    if isinstance(value, float):
        return [(prefix, format_number(value) if math.isfinite(value) else str(value))]
    if isinstance(value, str):
        return [(prefix, value)]
    return [(prefix, json.dumps(value))]


def _card(run):
    card = run["card"]
    if card is None:
        return '<p class="none">No model card (preset/metadata.json, written by keras-gans train).</p>'
    rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(v).replace(chr(10), '<br>')}</td></tr>"
        for k, v in _flatten({k: v for k, v in card.items() if k != "recipe"})
    )
    return f"<table>{rows}</table>"


def _summary(run):
    card = run["card"] or {}
    recipe = run["recipe"] or card.get("recipe") or {}
    training = card.get("training", {})
    parts = [
        recipe.get("variant"),
        recipe.get("dataset"),
        f"{run['epochs'][-1]} epochs" if run["epochs"] else None,
        f"backend {training['backend']}" if training.get("backend") else None,
        f"{training['train_seconds']} s of training" if training.get("train_seconds") else None,
        training.get("machine"),
        training.get("date"),
    ]
    return " · ".join(html.escape(str(p)) for p in parts if p)


def _folded(name, value):
    text = html.escape(json.dumps(value, indent=2))
    return f"<details><summary>{name}</summary><pre>{text}</pre></details>"


def render_report(run, max_sample_grids=12):
    """The HTML text of the report on a run read by `read_run`."""
    card, recipe = run["card"] or {}, run["recipe"]
    title = (
        card.get("name") or (recipe or {}).get("name") or os.path.basename(os.path.normpath(run["run_dir"]))
    )
    charts = _charts(run)
    recipe_html = _folded("recipe.json", recipe) if recipe else ""
    card_json = _folded("metadata.json", run["card"]) if run["card"] else ""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>Run report: {html.escape(str(title))}</title>",
            f"<style>{_STYLE}</style></head><body>",
            f"<h1>Run report: {html.escape(str(title))}</h1>",
            f'<p class="summary">{_summary(run)}</p>',
            card.get("description") and f"<p>{html.escape(str(card['description']))}</p>" or "",
            "<h2>Training curves</h2>",
            '<div class="charts">' + "".join(charts) + "</div>"
            if charts
            else '<p class="none">No logged values.</p>',
            _final_values(run),
            "<h2>Samples over training</h2>",
            _samples(run, max_sample_grids),
            "<h2>Failure monitor</h2>",
            _failures(run),
            "<h2>Model card</h2>",
            _card(run),
            card_json,
            recipe_html,
            f"<footer>Written by keras_gans.report.write_report from {html.escape(run['run_dir'])}.</footer>",
            "</body></html>",
        ]
    )


def write_report(run_dir, output=None, max_sample_grids=12):
    """Writes `report.html` about a training run, readable offline.

    The page shows the losses, penalties and metrics over training (SVG
    charts: epoch means from `state.json` or the event files, per-step losses
    and learning rates from the event files), the last epoch's values, the
    sample pictures over the epochs, the failure monitor's diagnoses and the
    model card. Everything is embedded in the one file (pictures as base64
    PNG), so it can be mailed or opened without the run folder.

    Args:
        run_dir: a run folder of `keras-gans train`, or of `fit` with
            `keras_gans.callbacks.training_callbacks`.
        output: path of the page; `run_dir/report.html` by default.
        max_sample_grids: most sample pictures shown (evenly spaced over the
            epochs, the first and the last included).

    Returns:
        The path of the page.

    Example:

    ```python
    gan.fit(points, epochs=20, callbacks=
            keras_gans.callbacks.training_callbacks("runs/ring", real_data=points))
    keras_gans.report.write_report("runs/ring")  # runs/ring/report.html
    ```
    """
    count = max_sample_grids
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
        raise ValueError(
            f"max_sample_grids must be an integer >= 1. Received: max_sample_grids={max_sample_grids!r}"
        )
    run = read_run(run_dir)
    output = os.fspath(output) if output is not None else os.path.join(run["run_dir"], REPORT_FILE)
    page = render_report(run, int(max_sample_grids))
    temporary = output + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(temporary, output)
    return output
