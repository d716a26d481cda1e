"""Convert a percent-format script (`# %%` cells, as written by jupytext) into a clean notebook under nbs/.

Usage: python tools/pct2nb.py SRC.py nbs/area/NN_name.ipynb

Notebooks are the source of truth; this is only a convenience for writing long notebooks in an editor.
Round trip: `jupytext --to py:percent nbs/x.ipynb -o /tmp/x.py`, edit, then convert back with this script.
"""
import sys, jupytext, nbformat

def main(src, dst):
    nb = jupytext.read(src, fmt='py:percent')
    nb.metadata = {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}}
    for c in nb.cells: c.metadata = {}
    nbformat.validate(nb)
    nbformat.write(nb, dst)

if __name__ == '__main__': main(*sys.argv[1:3])
