"""The report in a real browser: Debian's headless Chromium (installed by `make browser`) driven through
its chromedriver opens the overview, a meeting page and an evidence page from disk (file:// URLs, as a
reader opens the site), with no console error, every image loaded and every link leading to a file.
Screenshots go to test-artifacts/report/ (not committed) for people to look at."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from extract.datadir import DataDir
from tests.helpers import MINUTES, REPO_ROOT

pytestmark = pytest.mark.integration
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO_ROOT / "test-artifacts" / "report"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,2200")


@pytest.fixture(scope="module")
def site(demo_data_dir: DataDir, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    done = subprocess.run([str(MINUTES), "report", "--data-dir", str(demo_data_dir.root), "--out", str(out)],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    assert CHROMIUM.is_file() and CHROMEDRIVER.is_file(), "run `make browser` (chromium, chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="minutes-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(30)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(browser: webdriver.Chrome, page: Path, fragment: str = "") -> None:
    browser.get_log("browser")  # drop what an earlier page logged
    browser.get(page.as_uri() + fragment)
    browser.execute_async_script(  # wait until every image has loaded or failed (lazy ones too)
        "const done = arguments[arguments.length - 1];"
        "Promise.all([...document.images].map(i => i.decode().catch(() => null))).then(() => done());")


def _problems(browser: webdriver.Chrome, site: Path) -> list[str]:
    problems = [f"console: {entry['message']}" for entry in browser.get_log("browser")
                if entry["level"] in ("SEVERE", "WARNING")]
    broken_images = browser.execute_script(
        "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src);")
    problems += [f"image not shown: {src}" for src in broken_images]
    for href in browser.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href);"):
        parts = urlsplit(href)
        target = Path(unquote(parts.path))
        if parts.scheme != "file" or not target.is_file() or site.resolve() not in target.resolve().parents:
            problems.append(f"link leads nowhere in the site: {href}")
    return problems


def _screenshot(browser: webdriver.Chrome, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert browser.save_screenshot(str(path))
    return path


def test_the_overview_shows_its_charts_without_errors(browser: webdriver.Chrome, site: Path) -> None:
    _open(browser, site / "index.html")
    assert _problems(browser, site) == []
    charts = browser.execute_script(
        "return [...document.querySelectorAll('figure.chart img')].map(i => [i.src, i.naturalWidth, "
        "i.getBoundingClientRect().width]);")
    assert len(charts) == 6 and all(natural > 200 and shown > 200 for _, natural, shown in charts)
    text = browser.find_element("tag name", "body").text
    assert "市政府第107次常务会议纪要" in text and "no_text_layer" in text
    _screenshot(browser, "overview")


def test_a_meeting_page_and_its_evidence_draw_the_paragraph_box(
        browser: webdriver.Chrome, site: Path, demo_data_dir: DataDir) -> None:
    with duckdb.connect(str(demo_data_dir.warehouse), read_only=True) as connection:
        doc_id, seq, page = connection.execute(
            "SELECT doc_id, seq, page_start FROM paragraphs JOIN meetings USING (doc_id) "
            "WHERE session_no = 107 AND text LIKE '（二）%' ORDER BY seq LIMIT 1").fetchone()
    _open(browser, site / "meetings" / f"{doc_id}.html")
    assert _problems(browser, site) == []
    assert "李亚平" in browser.find_element("tag name", "body").text
    _screenshot(browser, "meeting")

    link = browser.find_element("css selector", f'#p{seq} a.evidence-link')
    assert link.get_attribute("href").endswith(f"/evidence/{doc_id}/page-{page}.html#p{seq}")
    link.click()
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all([...document.images].map(i => i.decode().catch(() => null))).then(() => done());")
    assert _problems(browser, site) == []
    box = browser.execute_script(f"""
        const box = document.getElementById('p{seq}'), img = document.querySelector('.page img');
        const b = box.getBoundingClientRect(), i = img.getBoundingClientRect(), s = getComputedStyle(box);
        return {{outline: s.outlineColor, width: s.outlineWidth, target: box.matches(':target'),
                 inside: b.left >= i.left && b.right <= i.right && b.top >= i.top && b.bottom <= i.bottom,
                 area: b.width * b.height, natural: img.naturalWidth}};""")
    assert box["target"] and box["inside"] and box["area"] > 1000 and box["natural"] > 500, box
    assert box["outline"] == "rgb(214, 40, 40)" and box["width"] == "3px"  # the drawn box, in red
    browser.execute_script(f"document.getElementById('p{seq}').scrollIntoView({{block: 'center'}});")
    _screenshot(browser, "evidence")
