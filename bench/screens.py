"""Screenshots of what a room sees at 1280x720: the industry map, a profile, the seat matrix and a brief.

``python bench/screens.py [--out bench/screens]`` starts the app on a free local port (as the browser tests do),
opens each view in headless Chromium at 1280x720 with every outside request refused, and saves the first
screen of each as PNG (the brief: its first printed page as the browser shows it). The README links them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Traffic, map_frame, wait_for_app  # noqa: E402
from tests.browser.server import running_app  # noqa: E402

VIEWPORT = {"width": 1280, "height": 720}
#: (file name, query, whether the view draws a map)
VIEWS = [
    ("industry-map", "state=KY&scheme=county&region=21095&industry=healthcare", True),
    ("region-profile", "page=region-profile&state=KY&scheme=county&region=21095&industry=healthcare", False),
    ("seat-matrix", "page=seat-matrix&state=KY&scheme=county&region=21095&industry=healthcare", False),
]


def brief_file(folder: Path) -> Path:
    """Elkhart County, IN's brief, written as the app's download writes it."""
    from dashboard.analysis.regions import resolve_region
    from dashboard.report import brief
    from dashboard.report.profile import region_profile

    region = resolve_region("county", "18039")
    html = brief.brief_html(region_profile(region, state="18"), brief.brief_comparisons(region, "18"))
    path = folder / "brief-elkhart.html"
    path.write_text(html, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "screens")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp) / "streamlit.log") as server:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for name, query, with_map in VIEWS:
                context = browser.new_context(viewport=VIEWPORT)
                Traffic(server.base_url).watch(context)
                page = context.new_page()
                page.goto(f"{server.base_url}/?{query}")
                wait_for_app(page, 180_000)
                if with_map:
                    map_frame(page, 180_000)
                    page.wait_for_timeout(1500)
                page.screenshot(path=str(args.out / f"{name}.png"))
                print(f"{name}: {args.out / f'{name}.png'}")
                context.close()
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.goto(brief_file(Path(tmp)).as_uri())
            page.emulate_media(media="print")
            page.screenshot(path=str(args.out / "brief.png"), full_page=False)
            print(f"brief: {args.out / 'brief.png'}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
