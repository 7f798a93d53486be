"""Uncomment markdown cells that were written as Python comments (`# # Title`), in place; see py2nb.uncomment_md."""
import sys, nbformat
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from py2nb import uncomment_md

for p in sys.argv[1:] or [str(p) for p in Path('nbs').rglob('*.ipynb')]:
    nb = nbformat.read(p, as_version=4); n = 0
    for c in nb.cells:
        if c.cell_type == 'markdown':
            new = uncomment_md(c.source)
            if new != c.source: c.source = new; n += 1
    if n: nbformat.write(nb, p); print(f'{p}: {n} markdown cell(s) uncommented')
