"""Issue 8: the page in a real browser — headless Chromium driven by selenium.

The real server runs on a free port in a thread. The demo's school config and its term folder
(zipped, as offices often receive it) are given to the page's file input as newline-joined paths;
the page's JavaScript uploads them, the detection table appears, the term analysis is generated
and its workbook downloaded and checked against the sample's truth. A second test gives a folder
to the folder picker, whose relative paths must survive. Each step is a screenshot, written to
the test's folder and also to ``$XUEQING_SCREENSHOTS`` when set
(``XUEQING_SCREENSHOTS=docs/images`` refreshes the README's pictures). Skipped only when
Chromium or chromedriver is not installed (``apt-get install chromium chromium-driver``;
``.ci/run`` installs them).
"""

from __future__ import annotations

import io
import os
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_web import DemoTerm, assert_grade_four_means, shared_demo_term

from toolkit.demo.term import TERM_FOLDER
from toolkit.web.server import WebServer, WebSettings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
WAIT = 120  # seconds

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="需要 Chromium 和 chromedriver（apt-get install chromium chromium-driver）",
    ),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoTerm:
    return shared_demo_term(tmp_path_factory)


@pytest.fixture()
def server() -> Iterator[WebServer]:
    server = WebServer("127.0.0.1", 0, WebSettings())
    server.start_background()
    yield server
    assert server.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--lang=zh-CN",
        "--hide-scrollbars",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: Any, css: str, timeout: float = WAIT) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))[0]


def screenshot(driver: Any, folder: Path, name: str, element: Any | None = None) -> Path:
    """Save the viewport (scrolled to ``element``) as ``name`` and copy it where asked."""
    if element is not None:
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", element)
        driver.execute_script("window.scrollBy(0, -12);")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    assert driver.save_screenshot(str(target))
    wanted = os.environ.get("XUEQING_SCREENSHOTS")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        shutil.copy(target, Path(wanted) / name)
    return target


def fetch(driver: Any, url: str) -> bytes:
    """A link's target with the browser's session cookie (outputs belong to a session)."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=60) as reply:
        return reply.read()


def test_upload_find_generate_and_download_in_chromium(
    browser: Any, server: WebServer, demo: DemoTerm, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    shots = tmp_path / "screenshots"
    archive = Path(shutil.make_archive(str(tmp_path / TERM_FOLDER), "zip", demo.root, TERM_FOLDER))
    browser.get(server.url)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("学情")
    screenshot(browser, shots, "web-1-upload.png")

    browser.find_element(By.ID, "pick-files").send_keys(f"{demo.config_path}\n{archive}")
    table = wait_for(browser, "#found-table")
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    spreadsheets = [p for p in demo.root.rglob("*") if p.suffix in (".xlsx", ".xls")]
    assert len(rows) == len(spreadsheets)
    cells = {
        r.find_element(By.CSS_SELECTOR, "td.file").text: [
            td.text for td in r.find_elements(By.TAG_NAME, "td")
        ]
        for r in rows
    }
    truth = demo.final.truth
    one_class = int(((truth["年级"] == 4) & (truth["班级"] == 1)).sum())
    assert cells[f"{TERM_FOLDER}/成绩/期末/四年级/四(1)班期末成绩.xlsx"][1:6] == [
        "质量监测成绩",
        "表头",
        "期末",
        "四(1)班",
        str(one_class),
    ]
    assert cells["学校配置.xlsx"][1] == "学校配置"
    assert "使用上传的学校配置" in browser.find_element(By.ID, "found").text
    dirty = demo.truth.dirty[0]
    problems = browser.find_element(By.ID, "problem-table").text
    assert f"{TERM_FOLDER}/作业检查/{dirty.file} › {dirty.sheet} › {dirty.cell}" in problems
    screenshot(browser, shots, "web-2-found.png", browser.find_element(By.ID, "found"))

    form = browser.find_element(By.ID, "report-term")
    browser.execute_script("arguments[0].scrollIntoView();", form)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, "article.job .progress, article.job.done", timeout=30)
    card = wait_for(browser, "article.job.done, article.job.failed")
    assert "done" in card.get_attribute("class"), card.text
    assert "已生成" in card.text
    previews = card.find_elements(By.CSS_SELECTOR, ".previews img")
    assert previews and all(
        browser.execute_script("return arguments[0].naturalWidth", img) > 0 for img in previews
    )
    screenshot(browser, shots, "web-3-report.png", card)

    link = card.find_element(By.PARTIAL_LINK_TEXT, "期末质量分析.xlsx")
    book = load_workbook(io.BytesIO(fetch(browser, link.get_attribute("href"))), read_only=True)
    assert_grade_four_means(book, demo.final)
    zipped = card.find_element(By.CSS_SELECTOR, "a.zip").get_attribute("href")
    assert fetch(browser, zipped)[:2] == b"PK"
    for shot in ("web-1-upload.png", "web-2-found.png", "web-3-report.png"):
        assert (shots / shot).stat().st_size > 10_000


def test_folder_picker_keeps_relative_paths(
    browser: Any, server: WebServer, demo: DemoTerm
) -> None:
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()  # a new session: nothing uploaded yet
    browser.get(server.url)
    folder = demo.folder / "成绩" / "期中"
    browser.find_element(By.ID, "pick-folder").send_keys(str(folder))
    table = wait_for(browser, "#found-table")
    shown = {td.text for td in table.find_elements(By.CSS_SELECTOR, "td.file")}
    expected = {
        f"期中/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*.xlsx")
    }  # the picked folder's name comes first, as the browser sends it
    assert shown == expected
    exams = {td.text for td in table.find_elements(By.CSS_SELECTOR, "tbody td:nth-child(4)")}
    assert exams == {"期中"}  # 五年级成绩.xlsx names no exam: its folder does
