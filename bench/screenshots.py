"""Screenshots of every page, in Chinese and English, at 1280×800 and 1920×1080, and of every
presenter slide at 1920×1080 and 1366×768 (once its control bar has faded, as a projector shows it),
into artifacts/screenshots/ (ignored by git) for people to look at.

    python bench/screenshots.py [--pages overview,projects] [--slides 1,5] [--no-slides]
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_helpers import Server, app_pages, launch_chromium, visit  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from dashboard import slides  # noqa: E402

OUT = ROOT / "artifacts" / "screenshots"
SIZES = [(1280, 800), (1920, 1080)]
SLIDE_SIZES = [(1920, 1080), (1366, 768)]


def whole_page(page, path: Path, width: int, height: int) -> None:
    """Streamlit scrolls inside its main block, so full_page=True would stop at the window: grow the
    window to the content's height for the shot (the width, and so the layout, stays the same)."""
    content = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, content)})
    page.wait_for_timeout(800)  # charts redraw for the new height of their container
    page.screenshot(path=path)
    page.set_viewport_size({"width": width, "height": height})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", help="url paths, comma-separated (default: all)")
    parser.add_argument("--slides", help="slide numbers, comma-separated (default: all)")
    parser.add_argument("--no-slides", action="store_true")
    args = parser.parse_args()
    # the default page lives at "/", not "/overview" (that would open Streamlit's "Page not found")
    pages = {url or "overview": url for url, _ in app_pages()}
    pages = {name: pages[name] for name in args.pages.split(",")} if args.pages else pages
    numbers = [int(n) for n in args.slides.split(",")] if args.slides else range(1, len(slides.CATALOG) + 1)
    OUT.mkdir(parents=True, exist_ok=True)
    with Server("serve.py", port=8640) as server, sync_playwright() as p:
        browser = launch_chromium(p)
        for width, height in SIZES:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
            page = context.new_page()
            for name, url in pages.items():
                for lang in ("zh", "en"):
                    ms = visit(page, f"{server.url}/{url}?lang={lang}")
                    path = OUT / f"{name}_{lang}_{width}x{height}.png"
                    whole_page(page, path, width, height)
                    print(f"{path.relative_to(ROOT)}  ready in {ms:.0f} ms")
            context.close()
        for width, height in [] if args.no_slides else SLIDE_SIZES:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
            page = context.new_page()
            for lang in ("zh", "en"):
                for n in numbers:
                    visit(page, f"{server.url}/?present=1&slide={n}&lang={lang}")
                    page.wait_for_function("document.body.classList.contains('etdz-idle')")
                    page.wait_for_timeout(500)  # the bar's fade
                    path = OUT / f"slide{n:02d}_{lang}_{width}x{height}.png"
                    page.screenshot(path=path)
                    print(path.relative_to(ROOT))
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
