"""Give every notebook cell a stable id (nbformat 4.5); without ids nbdev_export writes random cell ids each time."""
import sys, hashlib, nbformat
from pathlib import Path

def fix(path):
    nb = nbformat.read(path, as_version=4)
    changed = nb.nbformat_minor < 5 or any('id' not in c for c in nb.cells)
    if not changed: return False
    nb.nbformat_minor = 5
    seen = set()
    for i, c in enumerate(nb.cells):
        if 'id' not in c or c['id'] in seen:
            c['id'] = hashlib.sha1(f'{Path(path).name}:{i}'.encode()).hexdigest()[:8]
        seen.add(c['id'])
    nbformat.write(nb, path); return True

if __name__ == '__main__':
    for p in sys.argv[1:] or [str(p) for p in Path('nbs').rglob('*.ipynb')]:
        if fix(p): print('ids added:', p)
