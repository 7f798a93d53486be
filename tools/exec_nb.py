"Execute a notebook's code cells in order and save their outputs, keeping the saved outputs of `#| slow` cells (not run; `--slow` runs them too). Usage: python tools/exec_nb.py nbs/tutorials/graph_clustering.ipynb [--slow]"
import os, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
p = Path(sys.argv[1]).resolve(); slow = '--slow' in sys.argv[2:]
nb = read_nb(p); sh = CaptureShell(path=p.parent)
os.chdir(p.parent)                                   # cells read their records relative to the notebook
for c in nb.cells:
    if c.cell_type != 'code' or ('#| slow' in c.source and not slow): continue
    t = time.time(); sh.cell(c)
    errs = [o for o in c.get('outputs', []) if o.get('output_type') == 'error']
    if errs: print('ERROR in', c.get('id'), errs[0].get('ename'), errs[0].get('evalue')); sys.exit(1)
    if time.time() - t > 5: print(c.get('id'), f'{time.time() - t:.0f} s')
write_nb(nb, p)
