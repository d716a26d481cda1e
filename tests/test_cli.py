"""The `dmlab` console command, as a user runs it: installed entry point, subprocesses, offline."""
import json, os, subprocess, sys
from pathlib import Path

import pytest

def run(args, tmp_path, env=None, **kw):
    env = {**os.environ, 'DMLAB_CACHE': str(tmp_path/'cache'), 'HF_HUB_OFFLINE': '1', 'MPLBACKEND': 'Agg', **(env or {})}
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900, **kw)

def test_help_lists_subcommands(tmp_path):
    from dmlab.cli import COMMANDS, BENCH_TARGETS
    r = run(['dmlab', '--help'], tmp_path)
    assert r.returncode == 0
    for cmd in ('tour', 'train', 'bench', *COMMANDS): assert cmd in r.stdout
    r = run(['dmlab', 'bench', '--help'], tmp_path)
    assert r.returncode == 0 and all(t in r.stdout for t in ('zoo', *BENCH_TARGETS))

_BLOCK_DOCS_TOOLCHAIN = """import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('nbformat', 'nbconvert', 'nbdev', 'execnb', 'ipywidgets'): raise ModuleNotFoundError(name)
sys.meta_path.insert(0, _Block())
"""

def test_runs_without_the_docs_toolchain(tmp_path):
    "The GPU machines have no nbformat/nbconvert/nbdev/ipywidgets: the benchmark commands must still start there."
    (tmp_path/'blk').mkdir(); (tmp_path/'blk'/'sitecustomize.py').write_text(_BLOCK_DOCS_TOOLCHAIN)
    env = {'PYTHONPATH': os.pathsep.join([str(tmp_path/'blk'), os.environ.get('PYTHONPATH', '')])}
    assert run([sys.executable, '-c', 'import nbformat'], tmp_path, env).returncode != 0, 'the block did not hide nbformat'
    for args in (['--help'], ['bench', 'quant', '--help'], ['bench', 'accel', '--help']):
        r = run([sys.executable, '-m', 'dmlab.cli', *args], tmp_path, env)
        assert r.returncode == 0, r.stderr[-2000:]
    r = run([sys.executable, '-c', 'import dmlab.cli; dmlab.cli.area_modules()'], tmp_path, env)   # every area, as `dmlab tour` imports them
    assert r.returncode == 0, r.stderr[-2000:]

def test_bad_arguments_are_named(tmp_path):
    r = run(['dmlab', 'tour', '--preset', 'huge'], tmp_path)
    assert r.returncode == 2 and "invalid choice: 'huge'" in r.stderr
    r = run(['dmlab', 'teleport'], tmp_path)
    assert r.returncode == 2 and "invalid choice: 'teleport'" in r.stderr

def test_tour_writes_report(tmp_path):
    r = run(['dmlab', 'tour', '--preset', 'test', '--out', 'report', '--quiet'], tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    out = tmp_path/'report'
    assert (out/'index.html').exists() and list(out.glob('*.png'))
    res = json.loads((out/'results.json').read_text())
    assert {'Data', 'Metrics', 'Reference models'} <= set(res)
    assert 'it/s]' not in r.stderr, 'a progress bar was shown under --quiet'

def test_bench_zoo_of_another_training_seed(tmp_path):
    r = run(['dmlab', 'bench', 'zoo', '--preset', 'test', '--n', '8', '--seeds', '0', '--train-seed', '1', '--out', 'b', '--quiet'], tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    rec = json.loads((tmp_path/'b'/'zoo'/'ref-dit-test-train1-seeds0-n8.json').read_text())
    res = rec['results']
    assert rec['command'] == 'dmlab bench zoo --preset test --n 8 --seeds 0 --train-seed 1 --out b --quiet'  # the console entry point's argv
    assert res['ref-dit (class)']['train_seed'] == 1 and res['ref-dit (class)']['class_accuracy']['n'] == 8

def test_train_with_two_accelerate_processes(tmp_path):
    """The same training script runs data-parallel under `accelerate launch` (2 CPU processes, gloo).

    accelerate's `--cpu` flag means a single process; `--multi_gpu` on a machine without CUDA gives MULTI_CPU (torchrun + gloo).
    """
    r = run([sys.executable, '-m', 'accelerate.commands.launch', '--multi_gpu', '--num_processes', '2', '--num_machines', '1',
             '--mixed_precision', 'no', '--dynamo_backend', 'no', '-m', 'dmlab.cli', 'train', 'ref-dit', '--preset', 'test', '--quiet'], tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'on 2 process(es)' in r.stdout
    entry = next((tmp_path/'cache'/'zoo').glob('ref-dit-class-*'))
    assert (entry/'done').exists() and json.loads((entry/'record.json').read_text())['processes'] == 2
