"""Checks the DOM Chromium rendered from report.html, and the screenshot it took.

Usage: python3 check_dom.py DOM.html SCREENSHOT.png
Every check prints one line; the exit code is 1 if any fails.
"""
import struct
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    """Collects, for each element with an id, the tags found inside it."""

    def __init__(self):
        super().__init__()
        self.open = []      # stack of (tag, id)
        self.inside = {}    # id -> list of descendant tags
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id")
        for _, owner in self.open:
            if owner:
                self.inside[owner].append(tag)
        if element_id:
            self.ids.add(element_id)
            self.inside.setdefault(element_id, [])
        if tag not in ("img", "br", "meta", "line", "circle", "polyline", "input"):
            self.open.append((tag, element_id))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break


def main(dom_path, screenshot):
    dom = Dom()
    with open(dom_path, encoding="utf-8") as f:
        dom.feed(f.read())
    count = lambda element, tag: dom.inside.get(element, []).count(tag)
    checks = [
        ("loss curve is an SVG with a line per series", "loss-curve" in dom.ids and count("loss-curve", "polyline") >= 2),
        ("accuracy curve is an SVG with a line per series", "accuracy-curve" in dom.ids and count("accuracy-curve", "polyline") >= 2),
        ("per-class table has a row per class", count("per-class", "tr") >= 3),
        ("confusion matrix is a square table", count("confusion", "tr") >= 3 and count("confusion", "td") == (count("confusion", "tr") - 1) ** 2),
        ("misclassified examples have pictures", count("misclassified", "img") >= 1),
        ("filter grid is a picture", "filters" in dom.ids),
        ("recipe table", count("recipe", "tr") >= 5),
        ("timing table", count("timing", "tr") >= 2),
    ]
    with open(screenshot, "rb") as f:
        head = f.read(24)
    is_png = head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24]) if is_png else (0, 0)
    checks.append((f"screenshot is a {width}x{height} PNG", is_png and width >= 800 and height >= 800))
    for name, ok in checks:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    failed = [name for name, ok in checks if not ok]
    print("report check passed" if not failed else f"report check failed: {len(failed)} of {len(checks)} checks")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
