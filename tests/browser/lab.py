"""Helpers for the browser tests: find Debian's Chromium and Playwright, run one JupyterLab server on loopback with a token,
drive notebooks in it. Never downloads a browser (`playwright install` is not used)."""
from __future__ import annotations
import json, os, re, secrets, shutil, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']
ARTIFACTS = Path(__file__).resolve().parents[1]/'artifacts'

def chromium_path() -> str | None:
    "`$DMLAB_CHROMIUM`, else the system Chromium (Debian's `chromium` package)."
    for p in (os.environ.get('DMLAB_CHROMIUM'), shutil.which('chromium'), shutil.which('chromium-browser'), '/usr/bin/chromium'):
        if p and Path(p).exists(): return p
    return None

def missing() -> str | None:
    "Why the browser tests cannot run here, or None."
    if chromium_path() is None: return "no Chromium: install Debian's `chromium` package (apt-get install -y chromium) or set DMLAB_CHROMIUM"
    try: import playwright.sync_api  # noqa: F401
    except ImportError: return "Playwright for Python is not installed (pip install playwright; no `playwright install` needed)"
    if shutil.which('jupyter-lab') is None and shutil.which('jupyter') is None: return "JupyterLab is not installed"
    return None

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

class LabServer:
    "A JupyterLab server on 127.0.0.1 with a random token, private config/runtime dirs and `root` as its root folder."
    def __init__(self, root: Path, env: dict | None = None):
        self.root, self.token, self.port = Path(root), secrets.token_hex(16), _free_port()
        self.cfg = Path(tempfile.mkdtemp(prefix='dmlab-jupyter-'))
        settings = self.cfg/'config'/'lab'/'user-settings'/'@jupyterlab'/'notebook-extension'
        settings.mkdir(parents=True)
        (settings/'tracker.jupyterlab-settings').write_text(json.dumps({'autoStartDefaultKernel': True}))
        (self.cfg/'config'/'labconfig').mkdir(parents=True)
        (self.cfg/'config'/'labconfig'/'page_config.json').write_text(
            json.dumps({'disabledExtensions': {'@jupyterlab/apputils-extension:announcements': True}}))
        self.env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(self.cfg/'config'), 'JUPYTER_RUNTIME_DIR': str(self.cfg/'runtime'),
                    'MPLBACKEND': 'module://matplotlib_inline.backend_inline', **(env or {})}
        self.log = open(self.cfg/'server.log', 'w')
        cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ip', '127.0.0.1', '--port', str(self.port),
               f'--IdentityProvider.token={self.token}', '--LabApp.extension_manager=readonly', f'--ServerApp.root_dir={self.root}',
               '--ServerApp.open_browser=False']
        if hasattr(os, 'geteuid') and os.geteuid() == 0: cmd.append('--allow-root')
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        try: self._wait()
        except BaseException: self.stop(); raise

    @property
    def url(self) -> str: return f'http://127.0.0.1:{self.port}'

    def _wait(self, timeout: float = 300):
        t = time.time()
        while time.time() - t < timeout:
            if self.proc.poll() is not None: raise RuntimeError(f"JupyterLab exited: {(self.cfg/'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f'{self.url}/api/status?token={self.token}', timeout=2): return
            except OSError: time.sleep(0.5)
        raise TimeoutError(f"JupyterLab did not answer in {timeout} s: {(self.cfg/'server.log').read_text()[-2000:]}")

    def notebook_url(self, rel: str) -> str: return f'{self.url}/lab/tree/{rel}?token={self.token}&reset'

    def stop(self):
        self.proc.terminate()
        try: self.proc.wait(20)
        except subprocess.TimeoutExpired: self.proc.kill()
        self.log.close()
        shutil.rmtree(self.cfg, ignore_errors=True)

def launch(playwright):
    "Debian's Chromium under Playwright (no browser download)."
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)

def open_and_run(page, server: LabServer, rel: str, timeout_s: float = 600):
    "Open notebook `rel`, wait for an idle kernel, run all cells, wait until every code cell ran; return the seconds it took."
    try: return _open_and_run(page, server, rel, timeout_s)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS/f"failed-{rel.replace('/', '-')}.png"), full_page=True)
        raise

_PROMPTS = "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim())"

def _open_and_run(page, server, rel, timeout_s):
    t = time.time()
    page.goto(server.notebook_url(rel))
    # the kernel is connected when the status bar names it and says Idle (the execution indicator is idle before that)
    page.locator('.jp-StatusBar-TextItem', has_text=re.compile(r'\| Idle')).first.wait_for(timeout=300_000)
    for attempt in range(3):   # a click that lands while the session is still settling is dropped: retry until cells start
        page.locator('.lm-MenuBar-itemLabel', has_text='Run').first.click()
        page.locator('.lm-Menu-itemLabel', has_text=re.compile(r'^Run All Cells$')).first.click()
        try:
            page.wait_for_function(f"() => ({_PROMPTS})().some(s => s !== '[ ]:')", timeout=60_000)
            break
        except Exception:
            if attempt == 2: raise
    page.wait_for_function(f"() => {{ const p = ({_PROMPTS})(); return p.length > 0 && p.every(s => /^\\[\\d+\\]:$/.test(s)); }}",
                           timeout=timeout_s * 1000)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=300_000)
    return time.time() - t

def error_outputs(page) -> list:
    "Texts of error outputs (tracebacks) shown in the notebook."
    return page.eval_on_selector_all('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
                                     "els => els.map(e => e.textContent).filter(t => /Traceback|Error/.test(t))")
