"""The offline docs site (`dmlab docs`): it builds from nbdev's processed notebooks with a page for every notebook, no
broken internal link, API pages with show_doc signatures and typeset equations, and widget pages that render from their
embedded state in a browser with the network blocked.

Building runs nbdev's docs processing of every notebook (about a minute on 2 cores; later builds reprocess only the
notebooks that changed); the browser part also needs Chromium + Playwright (see test_browser.py).
"""
import base64, json, os, re
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

PNG = b'\x89PNG\r\n\x1a\n'
# plot panels (ipywidgets.Image) each widget page must carry, by page name; a page under widgets/ that is not listed
# must show no widget
MIN_IMAGES = {'display': 1, 'trajectory': 4, 'policy': 4, 'quant': 5, 'tif': 2}

def _widget_pages(out) -> dict:
    "{page name: HTML file} of every notebook under nbs/widgets/, named as `dmlab.docs.page_path` names them."
    from dmlab.docs import frontmatter, page_path
    import nbformat
    paths = [page_path(str(nb), frontmatter(nbformat.read(ROOT/'_proc'/nb, as_version=4))) for nb in _notebooks() if nb.parts[0] == 'widgets']
    return {Path(p).stem: out/p for p in paths}

def _widget_state(html: str) -> dict:
    "The models of the page's embedded widget state, by model id."
    found = re.findall(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1, f"expected one embedded widget state, found {len(found)}"
    return json.loads(found[0])['state']

def _views(html: str) -> list:
    "The widget views the page displays (JSON strings)."
    return re.findall(r'<script type="application/vnd\.jupyter\.widget-view\+json">\s*(\{.*?\})\s*</script>', html, re.S)

def _image_bytes(model: dict) -> bytes:
    "The `value` of an ImageModel: a base64 buffer in the saved state (or, if inline, the state's value)."
    for b in model.get('buffers', []):
        if b['path'] == ['value']: return base64.b64decode(b['data']) if b.get('encoding') == 'base64' else b['data'].encode()
    v = model['state'].get('value', b'')
    return v.encode('latin-1') if isinstance(v, str) else bytes(v)

def test_api_page_and_widget_state(site):
    out = site[0]
    api = (out/'lab'/'metrics.html').read_text()
    assert re.search(r'<h3[^>]*>psnr', api) and 'data_range' in api     # show_doc heading and signature
    widget = (out/'widgets'/'trajectory.html').read_text()
    assert 'application/vnd.jupyter.widget-state+json' in widget and '_assets/html-manager/embed-amd.js' in widget

def test_widget_pages_embed_plots(site):
    "Every widget page embeds its widgets' state with the plots as PNG Image models: nothing is left to a kernel."
    pages = _widget_pages(site[0])
    assert set(MIN_IMAGES) <= set(pages), f"widget pages: {sorted(pages)}"
    for name, path in pages.items():
        html = path.read_text()
        if name not in MIN_IMAGES:
            assert not _views(html), f"{name}: shows widgets but has no entry in MIN_IMAGES"
            continue
        state = _widget_state(html)
        views = _views(html)
        assert views, f"{name}: no widget displayed"
        assert all(json.loads(v)['model_id'] in state for v in views), f"{name}: a displayed widget is missing from the state"
        images = {k: _image_bytes(m) for k, m in state.items() if m['model_name'] == 'ImageModel'}
        assert len(images) >= MIN_IMAGES.get(name, 1), f"{name}: {len(images)} Image models"
        empty = [k for k, v in images.items() if not v.startswith(PNG) or len(v) < 1000]
        assert not empty, f"{name}: Image models without a PNG: {empty}"
        # an Output widget captures nothing without a kernel: in static docs it can only be an empty panel
        blank = [k for k, m in state.items() if m['model_name'] == 'OutputModel' and not m['state'].get('outputs')]
        assert not blank, f"{name}: empty Output models {blank} (draw plots into ipywidgets.Image panels)"

def test_docs_site_offline_in_browser(site, browser):
    "API and widget pages open from disk in Chromium, every network request blocked, the widget rendered by html-manager."
    from browser.lab import ARTIFACTS
    out, blocked = site[0], []
    ctx = browser.new_context(viewport={'width': 1400, 'height': 1000})
    try:
        page = ctx.new_page()
        errors = []
        page.on('pageerror', lambda e: errors.append(f'pageerror: {e}'))
        page.on('console', lambda m: m.type == 'error' and errors.append(f'console.error: {m.text}'))
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
        page.evaluate('() => MathJax.startup.promise')   # queued typesetting done
        assert page.evaluate('() => typeof (MathJax.Hub && MathJax.Hub.Queue)') == 'function'   # the widgets' MathJax 2 call, shimmed
        ex.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS/'docs-widget-trajectory.png'), full_page=True)
        for name, cls in (('quant', 'dmlab-quant-explorer'), ('tif', 'dmlab-tif-tree')):
            page.goto((out/'widgets'/f'{name}.html').as_uri())
            w = page.locator(f'.{cls}').first
            w.wait_for(state='visible', timeout=60_000)
            img = w.locator('img').first
            img.wait_for(state='visible', timeout=30_000)
            assert img.evaluate('e => e.complete && e.naturalWidth') > 0, f"{name}: the first plot did not load"
            w.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS/f'docs-widget-{name}.png'), full_page=True)
        assert not errors, f"browser errors on the docs pages: {errors}"
    finally: ctx.close()
    assert not blocked, f"the offline site requested the network: {blocked}"
