"""Write README.md from nbs/index.ipynb without Quarto (nbdev-readme needs the Quarto binary).

Hidden cells (`#| hide`, `#| include: false`) are dropped, directive lines removed, the rest rendered to Markdown with
the notebook's stored outputs. Run from the repository root: `python tools/make_readme.py`.
"""
import re
from pathlib import Path

import nbformat
from nbconvert import MarkdownExporter

_DIRECTIVE = re.compile(r'^\s*#\|\s*(.*)$')

def _directives(src):
    return [m.group(1).strip() for line in src.splitlines() if (m := _DIRECTIVE.match(line))]

def main(root='.'):
    root = Path(root)
    nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
    cells = []
    for c in nb.cells:
        d = _directives(c.source) if c.cell_type == 'code' else []
        if any(x in ('hide', 'include: false') or x.startswith('default_exp') for x in d): continue
        if c.cell_type == 'code':
            c.source = '\n'.join(l for l in c.source.splitlines() if not _DIRECTIVE.match(l)).strip()
            if any(x in ('echo: false',) for x in d): c.source = ''
        cells.append(c)
    nb.cells = cells
    nb.metadata.setdefault('language_info', {})['name'] = 'python'
    body, _ = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(nb)
    body = re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'
    body = body.replace('](images/', '](nbs/images/')  # image paths relative to nbs/ in the notebook, to the root here
    (root/'README.md').write_text('<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook -->\n\n' + body)

if __name__ == '__main__': main()
