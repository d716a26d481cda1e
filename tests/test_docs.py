"""The offline docs site (`dmlab docs`): it builds from nbdev's processed notebooks with a page for every notebook, no
broken internal link, API pages with show_doc signatures and typeset equations, and widget pages that render from their
embedded state in a browser with the network blocked.

Building runs nbdev's docs processing of every notebook (about a minute on 2 cores; later builds reprocess only the
notebooks that changed); the browser part also needs Chromium + Playwright (see test_browser.py).
"""
import os, re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    from dmlab.docs import build_docs
    out = tmp_path_factory.mktemp('site')
    cwd = os.getcwd(); os.chdir(ROOT)
    try: pages, failed = build_docs(out)
    finally: os.chdir(cwd)
    return out, pages, failed

def _notebooks():
    return sorted(p.relative_to(ROOT/'nbs') for p in (ROOT/'nbs').rglob('*.ipynb')
                  if not any(s.startswith(('_', '.')) for s in p.relative_to(ROOT/'nbs').parts))

def test_every_notebook_has_a_page(site):
    out, pages, failed = site
    assert not failed, f"notebooks that failed nbdev's docs processing: {failed}"
    from dmlab.docs import frontmatter, page_path
    import nbformat
    missing = [str(nb) for nb in _notebooks()
               if not (out/page_path(str(nb), frontmatter(nbformat.read(ROOT/'_proc'/nb, as_version=4)))).exists()]
    assert not missing, f"no page for {missing}"
    assert len(pages) == len(_notebooks())

def test_no_broken_internal_links(site):
    from dmlab.docs import check_site
    assert check_site(site[0]) == []

def test_api_page_and_widget_state(site):
    out = site[0]
    api = (out/'lab'/'metrics.html').read_text()
    assert re.search(r'<h3[^>]*>psnr', api) and 'data_range' in api     # show_doc heading and signature
    widget = (out/'widgets'/'trajectory.html').read_text()
    assert 'application/vnd.jupyter.widget-state+json' in widget and '_assets/html-manager/embed-amd.js' in widget

def test_docs_site_offline_in_browser(site, browser):
    "API and widget pages open from disk in Chromium, every network request blocked, the widget rendered by html-manager."
    from browser.lab import ARTIFACTS
    out, blocked = site[0], []
    ctx = browser.new_context(viewport={'width': 1400, 'height': 1000})
    try:
        page = ctx.new_page()
        page.route(re.compile(r'^https?://'), lambda route: (blocked.append(route.request.url), route.abort()))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.goto((out/'lab'/'metrics.html').as_uri())
        assert page.locator('h1.dmlab-title').inner_text() == 'metrics'
        page.locator('mjx-container').first.wait_for(timeout=60_000)   # the vendored MathJax typeset the equations
        assert page.locator('mjx-container').count() >= 5 and page.locator('mjx-merror').count() == 0
        assert page.locator('.dmlab-nav a').count() >= len(_notebooks())
        page.screenshot(path=str(ARTIFACTS/'docs-api-metrics.png'))
        page.goto((out/'widgets'/'trajectory.html').as_uri())
        ex = page.locator('.dmlab-trajectory-explorer').first
        ex.wait_for(state='visible', timeout=60_000)
        assert ex.locator('img').count() == 4 and ex.locator('.widget-readout').count() >= 2
        ex.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS/'docs-widget-trajectory.png'), full_page=True)
    finally: ctx.close()
    assert not blocked, f"the offline site requested the network: {blocked}"
