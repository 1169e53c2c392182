"""The web lab in a real browser: Debian's headless Chromium driven by selenium through
/usr/bin/chromedriver (selenium-manager is never asked to download anything). Skips cleanly
when chromium, chromedriver, selenium or the web extra is missing.

Screenshots go to ``artifacts/browser/`` (gitignored; ``$BARGAIN_ARTIFACTS`` overrides it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("BARGAIN_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("BARGAIN_CHROMEDRIVER", "/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("BARGAIN_ARTIFACTS", ROOT / "artifacts")) / "browser"

if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
    pytest.skip(
        "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )
pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bargaining", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    start = time.monotonic()
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() - start > 30:
                proc.kill()
                raise RuntimeError(
                    f"bargain serve did not start: {proc.stdout.read().decode()[-2000:]}"
                ) from None
            time.sleep(0.1)
    startup = time.monotonic() - start
    yield url, startup
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager: never download a driver
    profile = tempfile.mkdtemp(prefix="bargain-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1500,1000",
    ):
        opts.add_argument(arg)
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=opts, service=service)
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _labels(driver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#equilibria li .label")]


def _idle(driver) -> bool:
    cls = driver.find_element(By.ID, "status").get_attribute("class")
    return "busy" not in cls


def _wait(driver, cond, timeout=60):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: cond(d))


def test_slider_changes_the_pbe_and_bad_yaml_shows_an_error(server, browser):
    url, startup = server
    assert startup < 30
    d = browser
    d.get(url + "?game=resolve-signal")
    # resolve-signal at the defaults (p = 0.25 < mu* = 0.3): pooling on N and semi-separating
    _wait(d, lambda d: _idle(d) and len(_labels(d)) >= 2)
    assert "Bluff or commitment" in d.find_element(By.ID, "game-title").text
    assert sorted(_labels(d)) == ["pooling on N", "semi-separating"]
    assert d.find_elements(By.CSS_SELECTOR, "#picture svg"), "the tree is drawn"
    assert "Bayes" in d.find_element(By.ID, "explanation").text or d.find_element(By.ID, "explanation").text
    d.save_screenshot(str(ARTIFACTS / "01-resolve-signal-default.png"))

    # move p with the keyboard, as a user would: 25 steps of 0.01 to p = 0.5 > 0.3, where
    # pooling on E appears (Russia's prior belief alone makes it compromise after E)
    slider = d.find_element(By.CSS_SELECTOR, '.param-slider[data-name="p"]')
    slider.click()
    slider.send_keys(Keys.HOME)
    for _ in range(50):
        slider.send_keys(Keys.ARROW_RIGHT)
    _wait(d, lambda d: abs(float(slider.get_attribute("value")) - 0.5) < 1e-9)
    _wait(d, lambda d: _idle(d) and "pooling on E" in _labels(d))
    assert d.find_element(By.CSS_SELECTOR, ".param input + div, .param output").text
    d.save_screenshot(str(ARTIFACTS / "02-resolve-signal-p-0.5.png"))

    # select an equilibrium: it is highlighted and the picture redrawn for it
    d.find_elements(By.CSS_SELECTOR, "#equilibria li")[0].click()
    _wait(d, lambda d: _idle(d) and d.find_elements(By.CSS_SELECTOR, "#equilibria li.selected"))

    # a bad YAML file in the editor: the error names the line
    d.find_element(By.CSS_SELECTOR, '.tabs button[data-tab="editor"]').click()
    editor = d.find_element(By.ID, "yaml-editor")
    editor.clear()
    editor.send_keys("kind: normal\ntitle: broken\nplayers: [A, B\npayoffs: 1\n")
    _wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#yaml-errors .error"), 30)
    error = d.find_element(By.CSS_SELECTOR, "#yaml-errors .error").text
    assert "line" in error
    d.save_screenshot(str(ARTIFACTS / "03-bad-yaml.png"))


def test_regime_map_click_and_learning_animation(server, browser):
    url, _ = server
    d = browser
    d.get(url + "?game=resolve-signal")
    _wait(d, lambda d: _idle(d) and len(_labels(d)) >= 2)
    d.find_element(By.ID, "regime-y").send_keys("(none)")
    n = d.find_element(By.ID, "regime-n")
    n.clear()
    n.send_keys("11")
    d.find_element(By.ID, "regime-go").click()
    _wait(d, lambda d: _idle(d) and d.find_elements(By.CSS_SELECTOR, "#regime-map rect.cell"), 120)
    cells = d.find_elements(By.CSS_SELECTOR, "#regime-map rect.cell")
    assert len(cells) == 11
    cells[-2].click()  # p = 0.9
    _wait(
        d,
        lambda d: (
            abs(
                float(d.find_element(By.CSS_SELECTOR, '.param-slider[data-name="p"]').get_attribute("value"))
                - 0.9
            )
            < 1e-9
        ),
    )
    _wait(d, lambda d: _idle(d) and "pooling on E" in _labels(d))
    d.save_screenshot(str(ARTIFACTS / "04-regime-map.png"))

    d.get(url + "?game=matching-pennies")
    _wait(d, lambda d: _idle(d) and len(_labels(d)) == 1)
    d.find_element(By.CSS_SELECTOR, '.tabs button[data-tab="learn"]').click()
    d.find_element(By.ID, "dynamics").send_keys("replicator")
    d.find_element(By.ID, "learn-go").click()
    _wait(d, lambda d: "cycles" in d.find_element(By.ID, "learn-note").text, 60)
    _wait(d, lambda d: d.find_element(By.ID, "learn-canvas").get_attribute("data-done") == "1", 30)
    d.save_screenshot(str(ARTIFACTS / "05-learning-replicator.png"))
