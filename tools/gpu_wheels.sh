#!/usr/bin/env bash
# Wheels the lent GPU machine lacks, saved into .whl/ (ignored by git) for `run(..., carry=[".whl"])`; see benchmarks/GPU.md.
# Its image (Python 3.12, torch 2.11) has torch, timm, torch-geometric, transformers, accelerate, matplotlib, scipy, pytest
# and pyyaml, but not diffusers or torchao (the benchmarks) nor nbdev and IPython (the `#| gpu` notebook cells: --tests).
# Versions are this machine's, so the device runs what CI tested. Nothing is fetched on the device: it has no network.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .git/info .whl
grep -qx '/.whl/' .git/info/exclude 2>/dev/null || echo '/.whl/' >> .git/info/exclude
pinned() { for p in "$@"; do echo "$p==$(python3 -c "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))" "$p")"; done; }
pkgs=(diffusers importlib_metadata lazy-importer torchao)
[ "${1:-}" = "--tests" ] && pkgs+=(nbdev execnb fastcore ghapi fastspec fasttransport httpx2 fastgit asttokens astunparse watchdog ipython decorator jedi parso
                                   matplotlib-inline pexpect ptyprocess prompt_toolkit wcwidth stack_data executing pure_eval
                                   traitlets backcall pickleshare)
platforms=(--platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64
           --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux1_x86_64)
for spec in $(pinned "${pkgs[@]}"); do
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp "${platforms[@]}" -d .whl "$spec"
done
ls .whl && du -sh .whl
