"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright (no browser download).

One JupyterLab server (loopback, random token) serves a copy of the tutorials for every widget test: a notebook is
opened, run with "Run All Cells", its widget controls are moved like a person would, and the test asserts that the
numbers and the plots changed. (The offline docs site's browser test is in test_docs.py.)
Screenshots go to tests/artifacts/ (gitignored).

Skipped with the reason when Chromium or Playwright are missing, unless DMLAB_REQUIRE_BROWSER=1 (CI), which turns the
skip into a failure.
"""
import os, re, shutil, time
from pathlib import Path

import pytest

from browser.lab import ARTIFACTS, LabServer, error_outputs, missing, open_and_run

ROOT = Path(__file__).resolve().parents[1]
REASON = missing()
if REASON and os.environ.get('DMLAB_REQUIRE_BROWSER') == '1':
    raise RuntimeError(f"DMLAB_REQUIRE_BROWSER=1 but the browser tests cannot run: {REASON}")
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or '')

def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS/f'{name}.png'), full_page=True)

@pytest.fixture(scope='session')
def lab(tmp_path_factory):
    "One JupyterLab for all widget tests, serving copies of the tutorials and widget notebooks (they get saved when run)."
    root = tmp_path_factory.mktemp('lab')
    for sub in ('tutorials', 'widgets'):
        if (ROOT/'nbs'/sub).exists(): shutil.copytree(ROOT/'nbs'/sub, root/sub)
    server = LabServer(root, env={'IN_TEST': '1', 'HF_HUB_OFFLINE': '1'})   # IN_TEST: tutorials run at test size
    yield server
    server.stop()

@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={'width': 1400, 'height': 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(120_000)
    yield pg
    ctx.close()

def _explorer_state(page):
    "Numbers and panel images the explorer shows now."
    ex = page.locator('.dmlab-trajectory-explorer').first
    return dict(summary=ex.locator('.widget-html-content').first.inner_text(),
                error=ex.locator('.dmlab-error').first.inner_text(),
                images=ex.locator('img').evaluate_all('els => els.map(e => e.src)'))

def _wait_for(page, ok, what, timeout_s=90):
    "Poll the explorer's state until `ok(state)`; a widget that stops updating fails here."
    t = time.time()
    while time.time() - t < timeout_s:
        now = _explorer_state(page)
        if ok(now): return now
        time.sleep(0.5)
    raise AssertionError(f"the explorer's {what} within {timeout_s} s: the widget stopped updating")

def _wait_changed(page, before, key, timeout_s=90):
    return _wait_for(page, lambda now: now[key] != before[key], f"{key} did not change", timeout_s)

def test_quickstart_explorer(lab, page):
    "Run the quickstart in JupyterLab, then move the explorer's controls: numbers and plots must follow."
    secs = open_and_run(page, lab, 'tutorials/00_quickstart.ipynb')
    assert not error_outputs(page), error_outputs(page)
    ex = page.locator('.dmlab-trajectory-explorer').first
    ex.wait_for(state='visible')
    ex.scroll_into_view_if_needed()
    s0 = _explorer_state(page)
    assert len(s0['images']) == 4 and all(src.startswith(('blob:', 'data:')) for src in s0['images']), s0['images']
    assert re.search(r'\d', s0['error'])
    shot(page, 'quickstart-explorer-before')
    # the step slider: focus its handle and press ← (a person's keyboard input; fires one change)
    handle = ex.locator('.widget-slider:has(label:text-is("step")) .noUi-handle, .widget-hslider:has-text("step") .noUi-handle').first
    readout = ex.locator('.widget-hslider:has-text("step") .widget-readout').first
    r0 = readout.inner_text()
    handle.click()
    page.keyboard.press('ArrowLeft')
    page.keyboard.press('ArrowLeft')
    target = f"at step {int(r0) - 2}:"  # both key presses have been processed
    s1 = _wait_for(page, lambda now: now['error'] != s0['error'] and target in now['summary'], f"summary did not reach '{target}'")
    assert readout.inner_text() == str(int(r0) - 2)
    assert s1['images'][0] != s0['images'][0], "error plot not redrawn after moving the step marker"
    # the metric dropdown
    ex.locator('.widget-dropdown:has-text("metric") select').select_option('mse')
    s2 = _wait_for(page, lambda now: 'mse' in now['summary'], "summary did not switch to mse")
    assert s2['images'][0] != s1['images'][0]
    # the mode buttons: teacher forcing recomputes with the models in the kernel
    ex.locator('.widget-toggle-buttons button', has_text='teacher-forced').click()
    s3 = _wait_changed(page, s2, 'summary', timeout_s=180)
    assert 'teacher-forced' in s3['summary']
    shot(page, 'quickstart-explorer-after')
    print(f"quickstart ran in {secs:.0f} s")

@pytest.mark.parametrize('nb', sorted(str(p.relative_to(ROOT/'nbs')) for p in (ROOT/'nbs'/'widgets').glob('[0-9]*.ipynb')))
def test_widget_notebook_runs(lab, page, nb):
    "Every widget notebook runs in JupyterLab without errors and shows at least one widget."
    open_and_run(page, lab, nb)
    assert not error_outputs(page), error_outputs(page)
    page.locator('.jp-OutputArea .jupyter-widgets').first.wait_for(state='visible')
    shot(page, 'widget-' + Path(nb).stem)
