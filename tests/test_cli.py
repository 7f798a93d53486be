"""The command line from a user's point of view: subprocesses of the installed console script."""
import json, os, subprocess, sys
from pathlib import Path
import pytest

CLI = [str(Path(sys.executable).parent / 'clusterkit')]  # the installed console script

def run(*args, **kw):
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=600, **kw)

def test_unknown_method_exits_2():
    r = run('bench', 'no-such-method', '--dataset', 'digits')
    assert r.returncode == 2 and 'valid methods:' in r.stderr and 'kmeans' in r.stderr

def test_unknown_dataset_exits_2():
    r = run('bench', 'kmeans', '--dataset', 'no-such-data')
    assert r.returncode == 2 and 'valid datasets:' in r.stderr and 'digits' in r.stderr

def test_bench_kmeans_digits_json(tmp_path):
    out = tmp_path / 'out.json'
    r = run('bench', 'kmeans', '--dataset', 'digits', '--seeds', '2', '--json', str(out))
    assert r.returncode == 0, r.stderr
    rec = json.loads(out.read_text())
    assert set(rec) == {'method', 'dataset', 'protocol', 'runs', 'summary'}
    assert [x['seed'] for x in rec['runs']] == [0, 1]
    assert set(rec['runs'][0]) >= {'seed', 'metrics', 'seconds', 'peak_rss_mb'}
    for k in ('acc', 'nmi', 'ari', 'f1', 'kappa', 'purity', 'silhouette'):
        assert set(rec['summary'][k]) == {'mean', 'std'}
    assert 0.5 < rec['summary']['acc']['mean'] < 1  # k-means on digits reaches about 0.7-0.8
    assert 'acc' in r.stdout and '±' in r.stdout

def test_datasets_lists_everything():
    r = run('datasets')
    assert r.returncode == 0, r.stderr
    for name in ('digits', 'cora', 'acm', 'usps', 'salinas_a', 'yeast_alpha', 'imagenet50_moco', 'mnist5k'):
        assert name in r.stdout
