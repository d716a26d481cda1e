"""The package is generated from the notebooks: `nbdev-clean` and `nbdev-export` must leave the tree unchanged, and
README.md must be what tools/make_readme.py writes from nbs/index.ipynb."""
import filecmp, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _tree(d: Path):
    return {p.relative_to(d): p for p in d.rglob('*') if p.is_file() and '__pycache__' not in p.parts and '.ipynb_checkpoints' not in p.parts}

def _diff(a: Path, b: Path):
    ta, tb = _tree(a), _tree(b)
    return sorted(str(k) for k in set(ta) | set(tb) if k not in ta or k not in tb or not filecmp.cmp(ta[k], tb[k], shallow=False))

def test_notebooks_clean_and_package_in_sync(tmp_path):
    for name in ('nbs', 'dmlab', 'tools'): shutil.copytree(ROOT/name, tmp_path/name, ignore=shutil.ignore_patterns('__pycache__', '_proc'))
    for name in ('pyproject.toml', 'README.md'): shutil.copy(ROOT/name, tmp_path/name)
    for cmd in (['nbdev-clean'], ['nbdev-export'], [sys.executable, 'tools/make_readme.py']):
        subprocess.run(cmd, cwd=tmp_path, check=True, capture_output=True)
    assert not _diff(ROOT/'nbs', tmp_path/'nbs'), f"notebooks not clean (run nbdev-clean): {_diff(ROOT/'nbs', tmp_path/'nbs')}"
    assert not _diff(ROOT/'dmlab', tmp_path/'dmlab'), f"dmlab/ out of sync with nbs/ (run nbdev-export): {_diff(ROOT/'dmlab', tmp_path/'dmlab')}"
    assert filecmp.cmp(ROOT/'README.md', tmp_path/'README.md', shallow=False), "README.md is stale: run python tools/make_readme.py"

def test_no_settings_ini():
    assert not (ROOT/'settings.ini').exists(), "nbdev 3 keeps its settings in pyproject.toml; settings.ini must not exist"
