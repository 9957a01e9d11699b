"""Run reports: one self-contained HTML page about a training run."""

from keras_gans.report.html_report import REPORT_FILE
from keras_gans.report.html_report import render_report
from keras_gans.report.html_report import write_report
from keras_gans.report.run_folder import read_event_files
from keras_gans.report.run_folder import read_run
from keras_gans.report.svg_chart import line_chart
from keras_gans.report.svg_chart import nice_ticks

__all__ = [
    "REPORT_FILE",
    "line_chart",
    "nice_ticks",
    "read_event_files",
    "read_run",
    "render_report",
    "write_report",
]
