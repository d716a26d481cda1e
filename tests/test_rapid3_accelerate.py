"""RAPID3 training under `accelerate launch` (2 CPU processes) and exact resume from a checkpoint."""
import os, re, subprocess, sys
from pathlib import Path

import pytest
import torch

def test_rapid3_two_processes(tmp_path):
    "Two gloo processes train one policy: both end with identical weights and the run records 2 processes."
    env = {**os.environ, 'DMLAB_CACHE': str(tmp_path/'cache'), 'HF_HUB_OFFLINE': '1', 'MPLBACKEND': 'Agg'}
    r = subprocess.run([sys.executable, '-m', 'accelerate.commands.launch', '--multi_gpu', '--num_processes', '2', '--num_machines', '1',
                        '--mixed_precision', 'no', '--dynamo_backend', 'no', '-m', 'dmlab.accel.rapid3_train', '--preset', 'test',
                        '--iters', '2', '--run-dir', str(tmp_path/'run')], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = re.findall(r'rank (\d)/(\d) policy (\S+) updates (\d+)', r.stdout)
    assert sorted(l[0] for l in lines) == ['0', '1'], r.stdout
    assert {l[1] for l in lines} == {'2'} and {l[3] for l in lines} == {'2'}
    assert len({l[2] for l in lines}) == 1, f"processes disagree: {lines}"
    assert (tmp_path/'run'/'policy'/'policy.safetensors').exists()

def test_rapid3_resume_is_exact(tmp_path):
    "A run stopped after one update and resumed ends with the same policy as an uninterrupted run."
    from dmlab.zoo import ref_dit
    from dmlab.rl import GRPOConfig
    from dmlab.accel.rapid3_train import Rapid3Config, train_rapid3
    ref = ref_dit('test')
    cfg = Rapid3Config(num_steps=3, pool=4, conditions=2, iters=3, ckpt_every=1, disc_width=8, policy=dict(hidden=16),
                       grpo=GRPOConfig(group_size=2, lr=0.02))
    full = train_rapid3(ref, cfg, tmp_path/'a', progress=False)
    part = train_rapid3(ref, cfg, tmp_path/'b', progress=False, stop_after=1)
    assert len(part.meta['history']) == 1 and not (tmp_path/'b'/'policy').exists()
    resumed = train_rapid3(ref, cfg, tmp_path/'b', progress=False)
    for (k, v), w in zip(full.state_dict().items(), resumed.state_dict().values()): assert torch.equal(v, w), k
    assert [h['reward'] for h in full.meta['history']] == [h['reward'] for h in resumed.meta['history']]
