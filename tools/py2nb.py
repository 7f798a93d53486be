"""Turn a cell-marked text file into a notebook (a one-off authoring aid; the notebook is the source after that).

Cells start with a line `# %%` (code) or `# %% [md]` (markdown). Usage: python tools/py2nb.py SRC.py DEST.ipynb
"""
import sys, nbformat

import re

def uncomment_md(text):
    "Markdown written as Python comments (`# # Title`, `# > line`, `# text`) is uncommented; plain markdown is kept."
    lines = [l for l in text.splitlines() if l.strip()]
    if not lines or not all(re.match(r'^#( |$)', l) for l in lines): return text
    if not (any(re.match(r'^# [#>$|*-]', l) for l in lines) or len(lines) >= 2): return text
    return '\n'.join(re.sub(r'^# ?', '', l) for l in text.splitlines())

def py2nb(src, dest):
    cells, kind, buf = [], None, []
    def flush():
        if kind is None: return
        text = uncomment_md('\n'.join(buf).strip('\n')) if kind == 'md' else '\n'.join(buf).strip('\n')
        if not text: return
        cells.append(nbformat.v4.new_markdown_cell(text) if kind == 'md' else nbformat.v4.new_code_cell(text))
    for line in open(src, encoding='utf-8').read().splitlines():
        if line.startswith('# %%'):
            flush(); buf = []
            kind = 'md' if '[md]' in line or '[markdown]' in line else 'code'
        else: buf.append(line)
    flush()
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}}
    nb.nbformat_minor = 5  # cells keep stable ids, so nbdev_export is reproducible
    try:  # re-converting over an existing notebook keeps its cell ids by position
        old = nbformat.read(dest, as_version=4).cells
        for c, o in zip(nb.cells, old):
            if 'id' in o: c['id'] = o['id']
    except (FileNotFoundError, OSError): pass
    nbformat.write(nb, dest)

if __name__ == '__main__': py2nb(sys.argv[1], sys.argv[2])
