"""Every notebook under nbs/ runs with nbdev's test machinery: one pytest case per notebook.

Cells flagged with a `tst_flags` directive (`#| gpu`, `#| slow`, `#| browser`, `#| notest`) are skipped unless named in
`DMLAB_TEST_FLAGS` (e.g. `DMLAB_TEST_FLAGS="gpu slow" pytest` on a GPU machine); each skipped group shows up as a skipped
case with its reason, so nothing is silently left out.
"""
import os
from pathlib import Path

import pytest
import torch
from nbdev.config import import_obj
from fastcore.xtras import globtastic
from nbdev.config import get_config
from nbdev import test as nbdev_test  # not `from ... import test_nb`: pytest would collect it
from nbdev.test import nb_test_cells

ROOT = Path(__file__).resolve().parents[1]
CFG = get_config(ROOT)
FORCE = os.environ.get('DMLAB_TEST_FLAGS', '').split()
SKIP = [f for f in CFG.tst_flags if f not in FORCE]
NBS = sorted(Path(p) for p in globtastic(CFG.nbs_path, file_glob='*.ipynb', skip_folder_re=r'^[_.]', skip_file_re=r'^[_.]'))
REASONS = dict(gpu='needs a CUDA GPU: run `DMLAB_TEST_FLAGS=gpu pytest` on a GPU machine',
               slow='slow (full-size work): run with `DMLAB_TEST_FLAGS=slow`',
               browser='needs Chromium + JupyterLab: see tests/test_browser.py',
               notest='marked notest: never run by tests')
# CI (DMLAB_REQUIRE_BROWSER=1) runs every widget notebook, every cell, in JupyterLab (test_browser.py fails on any error
# output), so running them here as well would only double their cost; elsewhere they run here
BROWSER_RUNS_WIDGETS = os.environ.get('DMLAB_REQUIRE_BROWSER') == '1'

def _id(p): return str(p.relative_to(CFG.nbs_path).with_suffix(''))

@pytest.fixture(scope='session', autouse=True)
def test_setup():
    "nbdev's `test_setup` hook: lint cells once and pre-import heavy libraries."
    if CFG.get('test_setup'):
        import_obj(CFG.test_setup)([c for nb in NBS for c in nb_test_cells(nb, SKIP, FORCE)])

@pytest.fixture(autouse=True)
def isolated_process_state():
    """Notebooks run in this one process: what one sets globally (os.environ such as DMLAB_CACHE, torch's grad mode and
    thread count) must not reach the next, or a notebook passes or fails depending on the ones before it."""
    env, grad, threads = dict(os.environ), torch.is_grad_enabled(), torch.get_num_threads()
    yield
    os.environ.clear(); os.environ.update(env)
    torch.set_grad_enabled(grad); torch.set_num_threads(threads)

@pytest.mark.parametrize('nb', NBS, ids=_id)
def test_notebook(nb):
    if BROWSER_RUNS_WIDGETS and _id(nb).startswith('widgets/'):
        pytest.skip("run in JupyterLab by tests/test_browser.py::test_widget_notebook_runs (DMLAB_REQUIRE_BROWSER=1)")
    ok, secs = nbdev_test.test_nb(nb, skip_flags=SKIP, force_flags=FORCE, basepath=CFG.config_path, cell_timeout=CFG.cell_timeout)
    assert ok, f"{_id(nb)} failed (traceback above)"

def _flagged():
    for nb in NBS:
        every = len(nb_test_cells(nb, [], []))
        for flag in SKIP:
            n = every - len(nb_test_cells(nb, [flag], []))
            if n: yield pytest.param(nb, flag, n, id=f'{_id(nb)}-{flag}')

@pytest.mark.parametrize('nb,flag,n', list(_flagged()))
def test_flagged_cells(nb, flag, n):
    pytest.skip(f"{n} cell(s) flagged `#| {flag}` in {_id(nb)} {REASONS.get(flag, '')}")
