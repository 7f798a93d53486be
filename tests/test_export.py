"""The notebooks are the source: exporting them again must reproduce the committed package exactly."""
import shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def test_nbdev_export_is_a_no_op(tmp_path):
    for p in ('settings.ini', 'setup.py', 'README.md'): shutil.copy(ROOT / p, tmp_path / p)
    shutil.copytree(ROOT / 'nbs', tmp_path / 'nbs', ignore=shutil.ignore_patterns('.ipynb_checkpoints', '_*'))
    shutil.copytree(ROOT / 'clusterkit', tmp_path / 'clusterkit', ignore=shutil.ignore_patterns('__pycache__'))
    r = subprocess.run([str(Path(sys.executable).parent / 'nbdev_export')], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    changed = [str(p.relative_to(tmp_path)) for p in (tmp_path / 'clusterkit').rglob('*.py')
               if not (ROOT / p.relative_to(tmp_path)).exists()
               or p.read_text() != (ROOT / p.relative_to(tmp_path)).read_text()]
    assert not changed, f'nbdev_export changed {changed}: edit the notebooks, export, and commit the result'
