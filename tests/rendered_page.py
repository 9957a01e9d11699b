"""Headless Chromium for the report tests: a page's screenshot and what to count in it
(tests/report/test_write_report.py, tests/cli/test_cli_watching.py)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

# As root on a closed network: no sandbox, no background connections.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,2000",
)


def screenshot(html_path, png_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "The report tests need headless Chromium: apt-get install -y chromium"
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={png_path}",
                Path(html_path).resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert os.path.isfile(png_path), result.stderr[-2000:]
    return np.asarray(Image.open(png_path).convert("RGB")).astype(int)


def pixels_of_color(picture, hex_color, tolerance=40):
    color = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(picture - color).sum(-1) < tolerance).sum())


def dark_tiles(picture, tile=40, threshold=180):
    """Number of tile x tile squares whose mean grey level is below threshold:
    the sample grids of Fashion-MNIST (grey to black); text and charts on
    white stay above 200 (the densest text of a report measured 210)."""
    grey = picture.mean(-1)
    height, width = (grey.shape[0] // tile) * tile, (grey.shape[1] // tile) * tile
    means = grey[:height, :width].reshape(height // tile, tile, width // tile, tile).mean((1, 3))
    return int((means < threshold).sum())
