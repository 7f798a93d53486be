"""Turn a cell-marked text file into a notebook (a one-off authoring aid; the notebook is the source after that).

Cells start with a line `# %%` (code) or `# %% [md]` (markdown). Usage: python tools/py2nb.py SRC.py DEST.ipynb
"""
import sys, nbformat

import re

def uncomment_md(text, title:bool=False):
    "Markdown written as Python comments (`# # Title`, `# > line`, `# text`) is uncommented; plain markdown is kept."
    lines = [l for l in text.splitlines() if l.strip()]
    if not lines or not all(re.match(r'^#( |$)', l) for l in lines): return text
    # a lone `# text` line is a raw heading only in the title cell; anywhere else it is a commented paragraph
    if title and len(lines) == 1 and not re.match(r'^# [#>$|*-]', lines[0]): return text
    return '\n'.join(re.sub(r'^# ?', '', l) for l in text.splitlines())

def py2nb(src, dest):
    cells, kind, buf = [], None, []
    def flush():
        if kind is None: return
        first_md = not any(c.cell_type == 'markdown' for c in cells)
        text = uncomment_md('\n'.join(buf).strip('\n'), title=first_md) if kind == 'md' else '\n'.join(buf).strip('\n')
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
