"""Screenshots of the demo's charts for the README (headless Chromium over the DevTools pipe).

    python examples/chart_screenshots.py out/case_calls.html docs/chart_case_calls.png ...

Pairs of HTML page and PNG path. Uses tests/chart/chart_cdp.py (no network, no websocket).
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "chart"))
from chart_cdp import Browser  # noqa: E402


def main(args):
    if len(args) % 2:
        sys.exit("usage: chart_screenshots.py PAGE.html OUT.png [PAGE.html OUT.png ...]")
    with Browser() as b:
        for page, png in zip(args[::2], args[1::2]):
            b.open("file://" + os.path.abspath(page))
            for _ in range(50):
                if b.evaluate("document.body.getAttribute('data-ready')") == "1":
                    break
                time.sleep(0.1)
            b.screenshot(png)
            problems = b.problems()
            if problems:
                sys.exit(f"{page}: {problems}")
            print(f"{page} -> {png} (fit zoom {b.evaluate('toexChart.zoom()'):.2f})")


if __name__ == "__main__":
    main(sys.argv[1:])
