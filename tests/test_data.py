"Integration tests for clusterkit.data: downloads (local server only), checksums, bad files, real-data shapes."
import hashlib, http.server, os, shutil, stat, threading
from pathlib import Path

import numpy as np
import pytest
import scipy.io
import torch

from clusterkit import data as ckd
from clusterkit.core import get_data_dir, require_data, set_data_dir
from clusterkit.data import (DataFile, DataFileCorrupt, DataFileMissing, FILES, download_url, fetch, load_graph,
                             load_hsi, load_ldl, read_mat, verify_file)

SHARED = Path(os.environ.get('CLUSTERKIT_DATA', '/nonexistent'))


@pytest.fixture
def datadir(tmp_path, monkeypatch):
    "A scratch data directory and cache; downloads off unless a test turns them on."
    monkeypatch.setenv('CLUSTERKIT_CACHE', str(tmp_path / '_cache'))
    monkeypatch.setenv(ckd.DOWNLOAD_ENV, '0')
    monkeypatch.setattr(ckd, '_VERIFIED', {})
    d = tmp_path / 'data'; d.mkdir()
    set_data_dir(d)
    yield d
    set_data_dir(None)


def need(*rel):
    "Skip unless the shared data directory holds these files."
    if not all((SHARED / r).exists() for r in rel): pytest.skip(f"shared data missing: {rel}")
    set_data_dir(SHARED)


@pytest.fixture(autouse=True)
def _reset_dir():
    yield
    set_data_dir(None)


# ---------------------------------------------------------------- downloads, against 127.0.0.1 only
class _Handler(http.server.BaseHTTPRequestHandler):
    files = {}
    def log_message(self, *a): pass
    def do_GET(self):
        body = self.files.get(self.path)
        if body is None: self.send_error(404); return
        if self.path.startswith('/truncated'):   # promise more bytes than are sent, then hang up
            self.send_response(200); self.send_header('Content-Length', str(len(body) + 1000)); self.end_headers()
            self.wfile.write(body); self.wfile.flush(); self.close_connection = True; return
        self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server():
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True); t.start()
    yield f'http://127.0.0.1:{srv.server_address[1]}'
    srv.shutdown(); srv.server_close()


PAYLOAD = b'0 1\r\n1 2\r\n' * 1000
SHA = hashlib.sha256(PAYLOAD).hexdigest()


def _leftovers(folder: Path):
    return sorted(p.name for p in folder.rglob('*') if p.is_file())


def test_download_ok(datadir, server, monkeypatch):
    _Handler.files = {'/g.txt': PAYLOAD}
    monkeypatch.setitem(FILES, 'x/g.txt', DataFile('x/g.txt', SHA, len(PAYLOAD), server + '/g.txt'))
    with pytest.raises(DataFileMissing, match='Downloads are switched off'): fetch('x/g.txt')
    p = fetch('x/g.txt', download=True, verbose=False)
    assert p == datadir / 'x/g.txt' and p.read_bytes() == PAYLOAD and _leftovers(datadir) == ['g.txt']


@pytest.mark.parametrize('path,sha,err,msg', [
    ('/g.txt', '0' * 64, DataFileCorrupt, 'sha256'),
    ('/truncated', None, DataFileMissing, 'Downloading it failed'),
    ('/missing', None, DataFileMissing, '404')])
def test_failed_download_leaves_nothing(datadir, server, monkeypatch, path, sha, err, msg):
    _Handler.files = {'/g.txt': PAYLOAD, '/truncated': PAYLOAD}
    monkeypatch.setitem(FILES, 'x/g.txt', DataFile('x/g.txt', sha, None, server + path))
    with pytest.raises(err, match=msg): fetch('x/g.txt', download=True, verbose=False)
    assert _leftovers(datadir) == []


def test_download_file_url(tmp_path):
    src = tmp_path / 'src.bin'; src.write_bytes(PAYLOAD)
    out = download_url(src.as_uri(), tmp_path / 'out/dst.bin', sha256=SHA, verbose=False)
    assert out.read_bytes() == PAYLOAD
    with pytest.raises(DataFileCorrupt): download_url(src.as_uri(), tmp_path / 'out/bad.bin', sha256='1' * 64, verbose=False)
    assert sorted(p.name for p in (tmp_path / 'out').iterdir()) == ['dst.bin']


def test_download_refused_into_readonly_dir(datadir, server, monkeypatch):
    _Handler.files = {'/g.txt': PAYLOAD}
    monkeypatch.setitem(FILES, 'x/g.txt', DataFile('x/g.txt', SHA, None, server + '/g.txt'))
    datadir.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(DataFileMissing, match='read-only'): fetch('x/g.txt', download=True, verbose=False)
    finally: datadir.chmod(0o755)


# ---------------------------------------------------------------- missing and corrupt files
def test_missing_file_message(datadir):
    with pytest.raises(DataFileMissing) as e: load_graph('acm')
    m = str(e.value)
    for part in ('sdcn/acm.txt', str(datadir), 'CLUSTERKIT_DATA', 'bdy9527/SDCN'): assert part in m
    with pytest.raises(DataFileMissing, match='Google Drive'): load_graph('hhar')
    with pytest.raises(DataFileMissing, match='https://www.ehu.eus/ccwintco/uploads/6/67/Indian_pines_corrected.mat'):
        load_hsi('indian_pines')
    with pytest.raises(DataFileMissing, match='not downloadable automatically'): load_hsi('trento')


def test_checksum_mismatch_same_size(datadir):
    rel = 'sdcn/acm_label.txt'
    (datadir / 'sdcn').mkdir(); (datadir / rel).write_bytes(b'1' * FILES[rel].size)
    with pytest.raises(DataFileCorrupt, match='sha256'): fetch(rel)


def test_lfs_pointer_and_truncated(datadir):
    rel = 'ldl/SJAFFE.mat'; (datadir / 'ldl').mkdir()
    (datadir / rel).write_text('version https://git-lfs.github.com/spec/v1\noid sha256:bdd5\nsize 100607\n')
    with pytest.raises(DataFileCorrupt, match='Git LFS pointer'): load_ldl('sjaffe')
    (datadir / rel).write_bytes(b'MATLAB 5.0 MAT-file' + b'\0' * 200)
    with pytest.raises(DataFileCorrupt, match='truncated'): load_ldl('sjaffe')
    with pytest.raises(DataFileCorrupt, match='could not read ldl/SJAFFE.mat'): load_ldl('sjaffe', verify=False)


def test_verification_is_cached(tmp_path, monkeypatch):
    monkeypatch.setenv('CLUSTERKIT_CACHE', str(tmp_path / 'c')); monkeypatch.setattr(ckd, '_VERIFIED', {})
    f = tmp_path / 'f.bin'; f.write_bytes(PAYLOAD)
    calls = []
    real = ckd._sha256
    monkeypatch.setattr(ckd, '_sha256', lambda p: calls.append(p) or real(p))
    verify_file(f, SHA); verify_file(f, SHA)
    monkeypatch.setattr(ckd, '_VERIFIED', {}); verify_file(f, SHA)   # a new process reads the on-disk record
    assert len(calls) == 1
    f.write_bytes(PAYLOAD[:-1] + b'X')                               # a changed file is hashed again
    os.utime(f, ns=(1, 1))
    with pytest.raises(DataFileCorrupt): verify_file(f, SHA)


def _write_sdcn(d: Path, x, y, edges, name='acm'):
    (d / 'sdcn').mkdir(exist_ok=True)
    np.savetxt(d / f'sdcn/{name}.txt', x); np.savetxt(d / f'sdcn/{name}_label.txt', y, fmt='%d')
    np.savetxt(d / f'sdcn/{name}_graph.txt', edges, fmt='%d')


def test_bad_graph_files(datadir):
    x, y = np.random.RandomState(0).rand(5, 3), np.array([0, 1, 2, 0, 1])
    _write_sdcn(datadir, x, y, [[0, 1], [1, 2], [3, 4], [4, 3]])
    g = load_graph('acm', verify=False)
    assert g.num_nodes == 5 and g.edge_index.size(1) == 6 and g.y.tolist() == y.tolist()
    _write_sdcn(datadir, x, y, [[0, 1], [2, 9]])
    with pytest.raises(ValueError, match='sdcn/acm_graph.txt refers to node 9 but sdcn/acm.txt has 5 rows'):
        load_graph('acm', verify=False)
    _write_sdcn(datadir, x, y[:4], [[0, 1]])
    with pytest.raises(ValueError, match='sdcn/acm.txt has 5 feature rows but sdcn/acm_label.txt has 4 labels'):
        load_graph('acm', verify=False)
    xn = x.copy(); xn[2, 1] = np.nan
    _write_sdcn(datadir, xn, y, [[0, 1]])
    with pytest.raises(ValueError, match='NaN'): load_graph('acm', verify=False)
    (datadir / 'sdcn/acm.txt').write_text('1 2 3\n4 5\n')
    with pytest.raises(DataFileCorrupt, match='could not parse sdcn/acm.txt'): load_graph('acm', verify=False)
    with pytest.raises(ValueError, match='k=3'): load_graph('acm', k=3, verify=False)


def test_cite_labels_are_zero_based(datadir):
    x, y = np.eye(4), np.array([1, 2, 3, 1])
    _write_sdcn(datadir, x, y, [[0, 1]], name='cite')
    assert load_graph('cite', verify=False).y.tolist() == [0, 1, 2, 0]


def test_mat_v73_via_h5py(tmp_path):
    "MATLAB v7.3 files are HDF5 with a 512-byte header; read_mat reads them through h5py (arrays transposed back)."
    h5py = pytest.importorskip('h5py')
    p = tmp_path / 'v73.mat'
    a = np.arange(12, dtype=np.float64).reshape(3, 4)
    with h5py.File(p, 'w', userblock_size=512) as f: f['cube'] = a.T
    hdr = b'MATLAB 7.3 MAT-file, Platform: GLNXA64'.ljust(116, b' ') + b'\0' * 8 + b'\x00\x02' + b'IM'
    with open(p, 'r+b') as f: f.write(hdr)
    assert np.array_equal(read_mat(p)['cube'], a)


def test_canonical_hsi_small_files(datadir):
    "Each canonical loader on a small cube written under the canonical name and key."
    rng = np.random.RandomState(0)
    (datadir / 'hsi').mkdir()
    for name, (cf, ck, gf, gk, names, _) in ckd._HSI_CANON.items():
        cube = rng.randint(0, 5000, (7, 6, 9)).astype(np.int16)
        gt = rng.randint(0, len(names) + 1, (7, 6)).astype(np.uint8)
        scipy.io.savemat(datadir / 'hsi' / cf, {ck: cube}); scipy.io.savemat(datadir / 'hsi' / gf, {gk: gt})
        s = load_hsi(name, verify=False)
        assert s.cube.dtype == np.float32 and s.gt.dtype == np.int64 and s.n_classes == len(names)
        assert np.array_equal(s.cube, cube) and np.array_equal(s.gt, gt)
        assert s.false_color().shape == (7, 6, 3)
    # a cube stored under another key is still found when it is the only array (Trento copies differ)
    scipy.io.savemat(datadir / 'hsi/HSI_Trento.mat', {'data': np.ones((7, 6, 63), np.float32)})
    assert load_hsi('trento', verify=False).cube.shape == (7, 6, 63)
    scipy.io.savemat(datadir / 'hsi/GT_Trento.mat', {'GT_Trento': np.full((7, 6), 9, np.uint8)})
    with pytest.raises(DataFileCorrupt, match='labels 9..9 but trento has 6 classes'): load_hsi('trento', verify=False)
    with pytest.raises(ValueError, match='valid names: salinas_a'): load_hsi('pavia')


def test_list_datasets_offline(datadir):
    rows = {r['name']: r for r in ckd.list_datasets()}
    assert rows['digits']['available'] and rows['mnist5k']['available'] and not rows['acm']['available']
    assert rows['acm']['path'] == str(datadir / 'sdcn/acm.txt')
    assert {r['family'] for r in rows.values()} == {'graph', 'hsi', 'ldl', 'features', 'images'}
    assert ckd.load('karate').num_nodes == 34


# ---------------------------------------------------------------- the real data (skipped where absent)
@pytest.mark.parametrize('name,shape', [('cora', (2708, 1433, 7)), ('citeseer', (3327, 3703, 6)), ('acm', (3025, 1870, 3)),
                                        ('dblp', (4057, 334, 4)), ('cite', (3327, 3703, 6)), ('usps', (9298, 256, 10))])
def test_real_graph_shapes(name, shape):
    need(*[f for f in ckd.DATASETS[name].files])
    g = load_graph(name)
    assert (g.num_nodes, g.x.size(1), int(g.y.max()) + 1) == shape and int(g.y.min()) == 0
    ei = g.edge_index
    assert (ei[0] != ei[1]).all()
    key = ei[0] * g.num_nodes + ei[1]
    assert torch.unique(key).numel() == key.numel()
    assert torch.equal(torch.sort(key).values, torch.sort(ei[1] * g.num_nodes + ei[0]).values)


def test_planetoid_never_writes_into_data_dir(tmp_path, monkeypatch):
    need('planetoid/Cora/raw/ind.cora.x')
    monkeypatch.setenv('CLUSTERKIT_CACHE', str(tmp_path))
    before = sorted(p.name for p in (SHARED / 'planetoid').rglob('*'))
    load_graph('cora')
    assert sorted(p.name for p in (SHARED / 'planetoid').rglob('*')) == before
    assert (tmp_path / 'planetoid/Cora/processed').exists()


def test_usps_faiss_graph_reproduces_sdcn():
    need('sdcn/usps.txt', 'sdcn/usps3_graph.txt')
    a = load_graph('usps', k=3, recompute=True).edge_index
    b = load_graph('usps', k=3).edge_index
    assert torch.equal(a, b)
    x = np.loadtxt(SHARED / 'sdcn/usps.txt', dtype=np.float32)
    mine = ckd.sdcn_knn_graph(x, 3)
    theirs = torch.from_numpy(np.loadtxt(SHARED / 'sdcn/usps3_graph.txt', dtype=np.int64).T)
    k = lambda e: torch.sort(e[0] * 9298 + e[1]).values
    assert torch.equal(k(mine), k(theirs))


def test_real_hsi():
    need('hsi/SalinasA.mat', 'hsi/SalinasA_gt.mat', 'hsi/Samson.mat', 'hsi/jasperRidge2_R198.mat', 'hsi/jasperRidge2_end4.mat')
    for name, shape, k in (('salinas_a', (83, 86, 204), 6), ('jasper_ridge', (100, 100, 198), 4), ('samson', (95, 95, 156), 3)):
        s = load_hsi(name)
        assert s.cube.shape == shape and s.n_classes == k and s.cube.dtype == np.float32 and s.gt.dtype == np.int64
        assert set(np.unique(s.gt)) <= set(range(k + 1))
        # pixel order: a nearest-class-mean classifier agrees with the labels far above chance
        X, y = s.pixels()
        mu = np.stack([X[y == c].mean(0) for c in range(1, k + 1)])
        acc = ((((X[:, None] - mu[None]) ** 2).sum(-1)).argmin(1) + 1 == y).mean()
        assert acc > 0.75, (name, acc)


@pytest.mark.parametrize('name', ['indian_pines', 'pavia_u', 'salinas', 'botswana', 'trento'])
def test_canonical_hsi_with_real_gt(name, tmp_path, monkeypatch):
    "The real ground truths (sha256-checked) beside a small random cube of the right height and width."
    cf, ck, gf, gk, names, _ = ckd._HSI_CANON[name]
    need('hsi/' + gf)
    monkeypatch.setenv('CLUSTERKIT_CACHE', str(tmp_path / 'c'))
    d = tmp_path / 'data'; (d / 'hsi').mkdir(parents=True)
    shutil.copy(SHARED / 'hsi' / gf, d / 'hsi' / gf)
    H, W = scipy.io.loadmat(SHARED / 'hsi' / gf)[gk].shape
    scipy.io.savemat(d / 'hsi' / cf, {ck: np.ones((H, W, 2), np.float32)})
    set_data_dir(d)
    s = load_hsi(name)
    assert s.gt.max() == len(names) and s.cube.shape == (H, W, 2)


def test_real_ldl_all():
    need(*ckd.LDL_SETS.values())
    for name in ckd.LDL_SETS:
        X, D = load_ldl(name)
        assert X.dtype == D.dtype == np.float64 and len(X) == len(D)
        assert np.allclose(D.sum(1), 1, atol=1e-12) and (D >= 0).all()
    assert [a.shape for a in load_ldl('yeast_alpha')] == [(2465, 24), (2465, 18)]
    assert [a.shape for a in load_ldl('sjaffe')] == [(213, 243), (213, 6)]


def test_real_features_and_mnist():
    imgs, y = ckd.load_mnist5k()
    assert imgs.shape == (5000, 28, 28) and imgs.dtype == np.float32 and np.bincount(y).tolist() == [500] * 10
    need('features/imagenet50_val_moco128_X.npy', 'features/imagenet50_val_moco128_y.npy')
    X, y = ckd.load_features('imagenet50_moco')
    assert X.shape == (2500, 128) and X.dtype == np.float32 and y.dtype == np.int64 and np.bincount(y).tolist() == [50] * 50


def test_list_datasets_shared():
    need('sdcn/acm.txt')
    rows = {r['name']: r for r in ckd.list_datasets()}
    for n in ('cora', 'citeseer', 'acm', 'dblp', 'cite', 'usps', 'salinas_a', 'jasper_ridge', 'samson', 'yeast_alpha',
              'sjaffe', 'imagenet50_moco'):
        assert rows[n]['available'], n
    for n in ('hhar', 'reut', 'indian_pines', 'pavia_u'): assert not rows[n]['available'], n


def test_knn_datasets_with_their_own_files(datadir):
    "hhar/reut-style sets: 1-based labels (hhar), shipped kNN graphs by k, recompute with faiss for any k."
    rng = np.random.RandomState(0)
    x, y = rng.rand(12, 4), rng.randint(1, 7, 12)
    (datadir / 'sdcn').mkdir()
    np.savetxt(datadir / 'sdcn/hhar.txt', x); np.savetxt(datadir / 'sdcn/hhar_label.txt', y, fmt='%d')
    np.savetxt(datadir / 'sdcn/hhar5_graph.txt', ckd.sdcn_knn_graph(x, 5).T.numpy(), fmt='%d')
    g = load_graph('hhar', verify=False)
    assert g.y.tolist() == (y - 1).tolist()
    assert torch.equal(g.edge_index, load_graph('hhar', recompute=True, verify=False).edge_index)
    assert load_graph('hhar', k=2, recompute=True, verify=False).edge_index.size(1) < g.edge_index.size(1)
    with pytest.raises(ValueError, match='k=7 has no shipped graph'): load_graph('hhar', k=7, verify=False)
    with pytest.raises(DataFileMissing, match='hhar1_graph.txt'): load_graph('hhar', k=1, verify=False)


def test_fetch_dataset(datadir, server, monkeypatch):
    _Handler.files = {'/a': PAYLOAD}
    monkeypatch.setitem(FILES, 'x/a.txt', DataFile('x/a.txt', SHA, len(PAYLOAD), server + '/a'))
    monkeypatch.setitem(ckd.DATASETS, 'toy', ckd.DatasetInfo('toy', 'graph', ('x/a.txt',), '1 x 1'))
    assert [p.name for p in ckd.fetch_dataset('toy', download=True, verbose=False)] == ['a.txt']
    assert {r['name']: r['available'] for r in ckd.list_datasets()}['toy']
    with pytest.raises(ValueError, match='unknown dataset'): ckd.fetch_dataset('nope')
