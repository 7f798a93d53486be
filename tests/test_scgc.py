"""Integration and property tests for clusterkit.scgc (SCGC, SCGC*, PamC)."""
import warnings
import numpy as np
import pytest
import torch
from sklearn.metrics import adjusted_rand_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from clusterkit.core import get_data_dir
from clusterkit.synthetic import make_csbm
from clusterkit.scgc import SCGC, SCGCStar, PamC, neighbor_contrastive_loss, pamc_loss, PRESETS, get_preset

TINY = dict(hidden=(16, 16, 32), n_z=4, pretrain_epochs=10, pretrain_lr=1e-2, pretrain_batch_size=16, epochs=5, lr=1e-2,
            kmeans_n_init=2, cache=False, random_state=0)


@pytest.fixture(scope='module')
def g60():
    return make_csbm(60, 3, avg_degree=6, n_features=16, homophily=0.9, feature_signal=3., random_state=0)


# scikit-learn's estimator checks. fit(X) without a graph builds a kNN graph, so the generic checks apply; all pass.
# (Collapse RuntimeWarnings on the checks' random data are expected and silenced.)
@parametrize_with_checks([SCGC(n_clusters=2, **TINY), SCGCStar(n_clusters=2, **TINY), PamC(n_clusters=2, **TINY)])
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        check(estimator)


@pytest.mark.parametrize('cls', [SCGC, SCGCStar, PamC])
def test_reproducible(cls, g60):
    a = cls(3, **TINY).fit(g60.x.numpy(), edge_index=g60.edge_index)
    b = cls(3, **TINY).fit(g60.x.numpy(), edge_index=g60.edge_index)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_allclose(a.history_['loss'], b.history_['loss'])
    np.testing.assert_allclose(a.embedding_, b.embedding_)


def test_node_permutation_permutes_partition():
    g = make_csbm(60, 3, avg_degree=8, n_features=16, homophily=0.95, feature_signal=6., random_state=2)
    X, ei = g.x.numpy(), g.edge_index
    perm = np.random.default_rng(0).permutation(60); inv = np.argsort(perm)
    a = PamC(3, **TINY).fit(X, edge_index=ei).labels_
    b = PamC(3, **TINY).fit(X[perm], edge_index=torch.as_tensor(inv)[ei]).labels_
    assert adjusted_rand_score(a[perm], b) == pytest.approx(1.0)


def test_loss_invariant_to_node_relabelling():
    g = make_csbm(30, 3, avg_degree=4, n_features=8, random_state=1)
    from clusterkit.graph import influence_operator
    W = influence_operator(g.edge_index, 30, 2, mode='sum', norm='rw')
    z = torch.randn(30, 5, generator=torch.Generator().manual_seed(0))
    perm = torch.randperm(30, generator=torch.Generator().manual_seed(1)); inv = torch.argsort(perm)
    Wp = influence_operator(inv[g.edge_index], 30, 2, mode='sum', norm='rw')
    lab = torch.arange(30) % 3
    torch.testing.assert_close(neighbor_contrastive_loss(z, W, .5), neighbor_contrastive_loss(z[perm], Wp, .5))
    torch.testing.assert_close(pamc_loss(z, W, lab, .5, 3), pamc_loss(z[perm], Wp, lab[perm], .5, 3))


@pytest.mark.parametrize('kw,msg', [(dict(n_clusters=61), 'n_samples=60 should be >= n_clusters=61'),
                                    (dict(tau=0), 'tau=0 should be > 0'), (dict(tau=-1.), 'tau=-1.0 should be > 0'),
                                    (dict(r=0), 'r=0 should be an integer >= 1'), (dict(r=1.5), 'r=1.5'),
                                    (dict(variant='dgi'), "variant='dgi'"),
                                    (dict(batch_size=10), "needs variant='pamc'")])
def test_bad_params(kw, msg, g60):
    with pytest.raises(ValueError, match=msg.replace('(', r'\(').replace('.', r'\.')):
        SCGC(**{'n_clusters': 3, **TINY, **kw}).fit(g60.x.numpy(), edge_index=g60.edge_index)


def test_bad_inputs(g60):
    X = g60.x.numpy()
    with pytest.raises(ValueError, match='refers to node 60'): PamC(3, **TINY).fit(X, edge_index=torch.tensor([[0], [60]]))
    with pytest.raises(ValueError, match=r'shape \(2, E\)'): PamC(3, **TINY).fit(X, edge_index=torch.zeros(3, 4, dtype=torch.long))
    Xn = X.copy(); Xn[0, 0] = np.nan
    with pytest.raises(ValueError, match='NaN'): PamC(3, **TINY).fit(Xn, edge_index=g60.edge_index)
    m = PamC(3, **TINY).fit(X, edge_index=g60.edge_index)
    with pytest.raises(ValueError, match='features'): m.predict(X[:, :5])


def test_collapse_warns_with_sizes(g60):
    # identical rows: every node lands in one cluster
    X = np.ones((60, 16), np.float32)
    with pytest.warns(RuntimeWarning, match=r'cluster sizes \['):
        PamC(3, **TINY).fit(X, edge_index=g60.edge_index)


def test_near_empty_clusters_warn_on_the_recorded_usps_runs():
    # SCGC* on USPS, seed 5 (committed record): all ten clusters used, two of them by a single node; the estimator now says so
    import json, pathlib
    rec = json.loads((pathlib.Path(__file__).parents[1]/'nbs/tutorials/graph_clustering_results/scgc-star_usps.json').read_text())
    sizes = {r['seed']: r['extra']['cluster_sizes'] for r in rec['runs']}[5]
    labels = np.repeat(np.arange(10), sizes)
    with pytest.warns(RuntimeWarning, match=r'nearly collapsed: 2 of n_clusters=10 clusters in labels_ hold fewer than 9.3 members'):
        SCGC._warn_collapse(labels, 10)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        SCGC._warn_collapse(np.repeat(np.arange(10), {r['seed']: r['extra']['cluster_sizes'] for r in rec['runs']}[2]), 10)   # smallest 276: silent


def test_minibatch_pamc(g60):
    m = PamC(3, batch_size=20, **TINY).fit(g60.x.numpy(), edge_index=g60.edge_index)
    assert len(m.history_['loss']) == TINY['epochs'] and np.isfinite(m.history_['loss']).all()


def test_presets_complete():
    for method in ('scgc', 'scgc-star', 'pamc'):
        assert set(PRESETS[method]) == {'usps', 'acm', 'dblp', 'cite'}
        for ds in ('usps', 'acm', 'dblp', 'cite', 'cora', 'citeseer', 'digits'):
            assert set(get_preset(method, ds)) == {'alpha', 'beta', 'r', 'tau', 'lr'}


def test_bench_registered_and_runs_on_digits():
    from clusterkit.core import BENCHES
    import clusterkit.scgc  # noqa: F401  (registration happens at import)
    for name in ('scgc', 'scgc-star', 'pamc', 'pamc-scale'): assert name in BENCHES
    res = BENCHES['pamc'].fn('digits', 0, epochs='3', pretrain_epochs='2', agc='0')
    for k in ('acc', 'nmi', 'paper_max_acc', 'kmeans_acc', 'ae_kmeans_acc'): assert 0 <= res['metrics'][k] <= 1
    assert res['timings']['s_per_epoch'] > 0 and len(res['extra']['curves']['acc']) == 4


@pytest.mark.parametrize('how', [True, 'split'])
@pytest.mark.parametrize('cls', [SCGCStar, PamC])
def test_reseed_is_a_no_op_until_a_cluster_empties(cls, how, g60):
    # the tutorial compares published and re-seeded runs seed by seed; that is fair only if they agree while nothing empties
    a = cls(3, **TINY).fit(g60.x.numpy(), edge_index=g60.edge_index)
    b = cls(3, reseed_empty=how, **TINY).fit(g60.x.numpy(), edge_index=g60.edge_index)
    assert b.n_reseeded_ == 0 and sum(b.history_['reseeded']) == 0
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_allclose(a.history_['loss'], b.history_['loss'])


@pytest.mark.parametrize('how', ['farthest', 'split'])
def test_reseed_moves_an_empty_centre(how):
    from clusterkit.scgc import reseed_empty_clusters, student_t_assign
    g = torch.Generator().manual_seed(0)
    z = torch.cat([torch.randn(30, 4, generator=g), torch.randn(30, 4, generator=g) + 8])
    mu = torch.stack([z[:30].mean(0), z[30:].mean(0), torch.full((4,), 100.)])
    assert reseed_empty_clusters(z, mu, how=how) == 1
    assert torch.bincount(student_t_assign(z, mu).argmax(1), minlength=3).min() > 0


def test_split_reseed_divides_the_worst_cluster_into_its_two_modes():
    # one centre sits on two well separated blobs (the largest squared error), another is empty: the split gives each blob a centre
    from clusterkit.scgc import reseed_empty_clusters, student_t_assign
    g = torch.Generator().manual_seed(1)
    a, b, c = torch.randn(20, 3, generator=g), torch.randn(25, 3, generator=g) + 10, torch.randn(15, 3, generator=g) - 10
    z = torch.cat([a, b, c])
    mu = torch.stack([torch.cat([a, b]).mean(0), c.mean(0), torch.full((3,), 1e3)])
    assert reseed_empty_clusters(z, mu, how='split') == 1
    sizes = sorted(torch.bincount(student_t_assign(z, mu).argmax(1), minlength=3).tolist())
    assert sizes == [15, 20, 25]
    with pytest.raises(ValueError, match='how='): reseed_empty_clusters(z, mu, how='nearest')
    with pytest.raises(ValueError, match='reseed_empty='): SCGCStar(3, reseed_empty='nearest').fit(z.numpy())


@pytest.mark.parametrize('cls', [SCGCStar, PamC])
def test_tol_stops_early_and_is_a_prefix_of_the_full_run(cls, g60):
    # DEC's rule only cuts the run short: the epochs it keeps are those of the run without it (same losses, same steps)
    kw = {**TINY, 'epochs': 30}
    full = cls(3, **kw).fit(g60.x.numpy(), edge_index=g60.edge_index)
    seen = []
    cut = cls(3, tol=0.05, callback=lambda e, l, m: seen.append(l), **kw).fit(g60.x.numpy(), edge_index=g60.edge_index)
    assert full.n_iter_ == 30 and 1 <= cut.n_iter_ < 30
    np.testing.assert_allclose(cut.history_['loss'], full.history_['loss'][:cut.n_iter_])
    assert np.mean(seen[-1] != seen[-2]) < 0.05
    with pytest.raises(ValueError, match=r'tol=-0\.1 should be in \[0, 1\)'):
        cls(3, tol=-0.1, **TINY).fit(g60.x.numpy(), edge_index=g60.edge_index)


def test_bench_reports_where_tol_stopped():
    from clusterkit.core import BENCHES
    import clusterkit.scgc  # noqa: F401
    res = BENCHES['pamc'].fn('digits', 0, epochs='40', pretrain_epochs='2', agc='0', tol='0.2')
    n = res['extra']['n_iter']
    assert 1 <= n < 40 and len(res['extra']['curves']['acc']) == n + 1 and res['protocol']['tol'] == 0.2
    assert "DEC's rule" in res['protocol']['final']


def test_agc_input_variant(g60):
    "features='agc': unit rows reach the autoencoder, runs are reproducible, new nodes are refused, the bench records it."
    X, ei = g60.x.numpy(), g60.edge_index
    with pytest.raises(ValueError, match="features='svd' should be 'raw' or 'agc'"): PamC(3, features='svd', **TINY).fit(X, edge_index=ei)
    Xw = np.hstack([X, np.random.RandomState(0).rand(60, 64).astype(np.float32)])   # 80 columns: the SVD to 50 runs
    a = PamC(3, features='agc', smooth=3, **TINY).fit(Xw, edge_index=ei)
    b = PamC(3, features='agc', smooth=3, **TINY).fit(Xw, edge_index=ei)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    H = a._input(Xw, ei, 60, 0)
    assert H.shape == (60, 50) and np.allclose(np.linalg.norm(H, axis=1), 1, atol=1e-5)
    assert next(m for m in a.autoencoder_.encoder.modules() if isinstance(m, torch.nn.Linear)).in_features == 50
    with pytest.raises(ValueError, match="features='agc' reduced X"): a.encode(Xw)
    np.testing.assert_array_equal(a.predict(), a.labels_)
    from clusterkit.core import BENCHES
    res = BENCHES['pamc'].fn('digits', 0, epochs='3', pretrain_epochs='2', agc='0', features='agc', smooth='3')
    assert 'truncated SVD of X to 50 dimensions' in res['protocol']['input'] and '^3' in res['protocol']['input']
    assert 0 <= res['metrics']['acc'] <= 1

def test_bench_encoder_options(g60):
    "`-o hidden=... -o n_z=...` reach the autoencoder, the record names it, and bad widths are refused."
    from clusterkit.core import BENCHES
    res = BENCHES['pamc'].fn('digits', 0, epochs='2', pretrain_epochs='1', agc='0', features='agc', smooth='2', hidden='500', n_z='16')
    assert res['protocol']['autoencoder'] == 'SDCNAutoencoder(50 -> 500 -> 16, decoder=False)'
    assert BENCHES['pamc'].fn('digits', 0, epochs='1', pretrain_epochs='1', agc='0', hidden='none', n_z='8')['protocol']['autoencoder'] \
        == 'SDCNAutoencoder(64 -> 8, decoder=False)'
    X, ei = g60.x.numpy(), g60.edge_index
    with pytest.raises(ValueError, match=r'hidden=\(32, -1\) should hold'): PamC(3, **{**TINY, 'hidden': (32, -1)}).fit(X, edge_index=ei)
    with pytest.raises(ValueError, match='n_z=2.5 should be an integer'): PamC(3, **{**TINY, 'n_z': 2.5}).fit(X, edge_index=ei)
    m = PamC(3, **{**TINY, 'hidden': ()}).fit(X, edge_index=ei)             # a linear encoder trains too
    assert m.embedding_.shape == (60, TINY['n_z'])

def test_shallow_encoder_records():
    "The smaller-encoder records (AGC-style input, one hidden layer): the encoder they name, ten seeds, and the figures the tutorial quotes."
    import json, pathlib
    res = pathlib.Path(__file__).parents[1] / 'nbs' / 'tutorials' / 'graph_clustering_results'
    load = lambda name: json.loads((res / f'{name}.json').read_text())
    avg = lambda r, k, seeds=range(10): round(float(np.mean([x['metrics'][k] for x in r['runs'] if x['seed'] in seeds])), 4)
    above_agc = lambda r: sum(x['metrics']['acc'] > x['metrics']['agc_acc'] and x['metrics']['nmi'] > x['metrics']['agc_nmi'] for x in r['runs'])
    enc64, enc10 = 'SDCNAutoencoder(50 -> 500 -> 64, decoder=False)', 'SDCNAutoencoder(50 -> 500 -> 10, decoder=False)'
    # Cora at order 8, 64-d code: the setting chosen on seed 0; seeds 1-9 are held out
    cora = load('pamc-agcin8-h500_cora')
    assert cora['protocol']['autoencoder'] == enc64 and '^8' in cora['protocol']['input']
    assert sorted(x['seed'] for x in cora['runs']) == list(range(10))
    assert (avg(cora, 'acc'), avg(cora, 'nmi')) == (0.6875, 0.5386) and avg(cora, 'acc') < 0.72   # the Cora target stays missed
    assert (avg(cora, 'acc', range(1, 10)), avg(cora, 'agc_acc', range(1, 10))) == (0.6850, 0.6857)
    assert all(sum(c > 0 for c in x['extra']['cluster_sizes']) < 7 for x in cora['runs'])         # every run loses a cluster
    # the same setting, moved to Citeseer
    cite = load('pamc-agcin8-h500_cite')
    assert cite['protocol']['autoencoder'] == enc64 and cite['protocol']['options'] == cora['protocol']['options']
    assert (avg(cite, 'acc'), avg(cite, 'nmi'), above_agc(cite)) == (0.6938, 0.4353, 9)
    # the 10-d code at order 3, against the deep encoder at order 3
    for d, acc, nmi, above in (('dblp', 0.7801, 0.4736, 10), ('cite', 0.6970, 0.4383, 9)):
        r, deep = load(f'pamc-agcin3-h500z10_{d}'), load(f'pamc-agcin3_{d}')
        assert r['protocol']['autoencoder'] == enc10 and '^3' in r['protocol']['input']
        assert (avg(r, 'acc'), avg(r, 'nmi'), above_agc(r)) == (acc, nmi, above)
        assert acc > deep['summary']['acc']['mean'] and nmi > deep['summary']['nmi']['mean']
    acm = load('pamc-agcin3-h500z10_acm')                                   # one seed collapses, the deep row stays ahead
    accs = sorted(x['metrics']['acc'] for x in acm['runs'])
    assert accs[0] < 0.7 < 0.905 < accs[1] and avg(acm, 'acc') < load('pamc-agcin3_acm')['summary']['acc']['mean']
    cora10 = load('pamc-agcin8-h500z10_cora')
    assert (avg(cora10, 'acc'), avg(cora10, 'nmi')) == (0.6894, 0.5525) and avg(cora10, 'acc') < 0.72
    # alpha=0, the DEC head alone from the same starts: the contrastive loss helps on DBLP and Citeseer, not on ACM
    for d, acc in (('acm', 0.9182), ('dblp', 0.7637), ('cite', 0.6795)):
        a0, pm = load(f'pamc-agcin3-h500z10-a0_{d}'), load(f'pamc-agcin3-h500z10_{d}')
        assert a0['protocol']['preset']['alpha'] == 0 and avg(a0, 'acc') == acc
        assert [x['metrics']['ae_kmeans_acc'] for x in a0['runs']] == [x['metrics']['ae_kmeans_acc'] for x in pm['runs']]
        assert (acc > pm['summary']['acc']['mean']) == (d == 'acm')
    # the 64-d code at order 3: worse than the deep encoder, not adopted
    for d, acc in (('acm', 0.8660), ('dblp', 0.6860)):
        r = load(f'pamc-agcin3-h500_{d}')
        assert r['protocol']['autoencoder'] == enc64 and '^3' in r['protocol']['input']
        assert avg(r, 'acc') == acc < load(f'pamc-agcin3_{d}')['summary']['acc']['mean']

def test_ae_pretrain_curve_script_matches_pretrain_autoencoder():
    "tools/ae_pretrain_curve.py (the graph tutorial's pretraining-length table): what its on_epoch hook scores at the last checkpoint is the autoencoder a plain pretrain_autoencoder call returns."
    import re, subprocess, sys, pathlib
    from sklearn.cluster import KMeans
    from clusterkit.data import load_graph
    from clusterkit.metrics import cluster_scores
    from clusterkit.scgc import pretrain_autoencoder
    root = pathlib.Path(__file__).parents[1]
    out = subprocess.run([sys.executable, str(root / 'tools' / 'ae_pretrain_curve.py'), 'digits', '1,3', '0'],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert [l.split()[4] for l in out] == ['1', '3']
    mse = [float(re.search(r'mse (\S+)', l).group(1)) for l in out]
    assert mse[1] < mse[0]                                   # the reconstruction improves with epochs
    g = load_graph('digits'); X = g.x.numpy().astype(np.float32); y = g.y.numpy()
    ae = pretrain_autoencoder(X, epochs=3, seed=0, cache=False)
    with torch.no_grad(): z = ae.encode(torch.from_numpy(X)).numpy()
    acc = cluster_scores(y, KMeans(len(np.unique(y)), n_init=20, random_state=0).fit(z).labels_)['acc']
    assert float(re.search(r'acc (\S+)', out[1]).group(1)) == pytest.approx(acc, abs=1e-4)

def test_longer_pretraining_record_pairs_with_the_published_usps_record():
    "The tutorial's longer-pretraining probe compares seed by seed: same seeds, same graph baseline, only the pretraining length differs."
    import json, pathlib
    res = pathlib.Path(__file__).parents[1] / 'nbs' / 'tutorials' / 'graph_clustering_results'
    a, b = (json.loads((res / f).read_text()) for f in ('scgc-star_usps.json', 'scgc-star-pre100_usps.json'))
    assert b['protocol']['options'] == {'pretrain_epochs': '100'} and b['protocol']['pretrain'].startswith('100 epochs')
    assert a['protocol']['pretrain'].startswith('30 epochs')
    base = {r['seed']: r['metrics'] for r in a['runs']}
    assert [r['seed'] for r in b['runs']] == [0, 1]
    for r in b['runs']:
        assert r['metrics']['agc_acc'] == base[r['seed']]['agc_acc'] and r['metrics']['kmeans_acc'] == base[r['seed']]['kmeans_acc']
        assert r['metrics']['ae_kmeans_acc'] != base[r['seed']]['ae_kmeans_acc']   # another autoencoder


def test_kmeans_readout_records_train_the_published_model():
    "tools/graph_kmeans_readout.py trains the bench's model: where it starts from the same autoencoder as the bench record, its argmax-q labels score as the record's final labels."
    import json, pathlib
    res = pathlib.Path(__file__).parents[1] / 'nbs' / 'tutorials' / 'graph_clustering_results'
    files = sorted(res.glob('readout_*.json'))
    assert files, 'no k-means readout records'
    compared = 0
    for f in files:
        rec = json.loads(f.read_text())
        bench = {r['seed']: r['metrics'] for r in json.loads((res / f"{rec['method']}_{rec['dataset']}.json").read_text())['runs']}
        for r in rec['runs']:
            K = len(json.loads((res / f"{rec['method']}_{rec['dataset']}.json").read_text())['runs'][0]['extra']['cluster_sizes'])
            assert r['kmeans_unit_z']['clusters_used'] == K and r['kmeans_z']['clusters_used'] == K   # k-means keeps every cluster
            assert r['argmax_q']['clusters_used'] <= K
            same_start = r.get('ae_kmeans_acc', bench[r['seed']]['ae_kmeans_acc']) == bench[r['seed']]['ae_kmeans_acc']
            if same_start:
                assert r['argmax_q']['acc'] == pytest.approx(bench[r['seed']]['acc'], abs=1e-9), (f.name, r['seed'])
                assert r['argmax_q']['nmi'] == pytest.approx(bench[r['seed']]['nmi'], abs=1e-9), (f.name, r['seed'])
                compared += 1
    assert compared >= 10


def test_rerun_seeds_reproduce_the_bench_records():
    "graph_clustering_results/repro/ holds seed 0 of bench records re-run with the committed code: each starts from the record's autoencoder and ends at its labels."
    import json, pathlib
    res = pathlib.Path(__file__).parents[1] / 'nbs' / 'tutorials' / 'graph_clustering_results'
    files = sorted((res / 'repro').glob('*.json'))
    assert len(files) >= 27, 're-run records missing'
    for f in files:
        n = json.loads(f.read_text())
        rec = {r['seed']: r['metrics'] for r in json.loads((res / f.name).read_text())['runs']}   # file name = record name
        for r in n['runs']:
            for k in ('ae_kmeans_acc', 'acc', 'nmi', 'ari'):
                assert r['metrics'][k] == pytest.approx(rec[r['seed']][k], abs=1e-12), (f.name, r['seed'], k)


def test_rerun_on_another_cpu():
    "graph_clustering_results/repro_b/ holds seed 0 of six records re-run on another CPU: raw input reproduces exactly, AGC-style input does not, as the tutorial says."
    import json, pathlib
    res = pathlib.Path(__file__).parents[1] / 'nbs' / 'tutorials' / 'graph_clustering_results'
    files = {f.stem: json.loads(f.read_text()) for f in (res / 'repro_b').glob('*.json')}
    assert len(files) == 6 and all(n['protocol']['environment']['cpu'] for n in files.values())
    diff = {}
    for name, n in files.items():
        a, b = json.loads((res / f'{name}.json').read_text())['runs'][0]['metrics'], n['runs'][0]['metrics']
        assert n['runs'][0]['seed'] == 0 and n['protocol']['environment']['threads'] == 1
        same = all(a[k] == b[k] for k in ('ae_kmeans_acc', 'acc', 'nmi'))
        assert same == (name == 'pamc_cora'), name            # raw features reproduce; every AGC-style input differs
        diff[name] = abs(a['acc'] - b['acc'])
    assert max(v for k, v in diff.items() if k != 'pamc-agcin8-h500z10_cora') <= 0.0015 and diff['pamc-agcin8-h500z10_cora'] > 0.04

def _tool(name):
    import importlib.util, pathlib
    spec = importlib.util.spec_from_file_location(name, pathlib.Path(__file__).parents[1] / 'tools' / f'{name}.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def test_collapse_probe_published_mode_is_pamc(g60):
    "tools/pamc_collapse_probe.py rewrites PamC's loss in a subclass: its 'published' mode trains exactly as PamC, and 'kl_only' as alpha=0."
    probe = _tool('pamc_collapse_probe')
    X, ei = g60.x.numpy(), g60.edge_index
    mk = lambda mode: type(f'P_{mode}', (probe.ProbePamC,), {'mode': mode})
    ref = PamC(3, **TINY).fit(X, edge_index=ei)
    pub = mk('published')(3, **TINY).fit(X, edge_index=ei)
    assert np.allclose(ref.history_['loss'], pub.history_['loss'], rtol=1e-6) and (ref.labels_ == pub.labels_).all()
    a0 = PamC(3, **{**TINY, 'alpha': 0.}).fit(X, edge_index=ei)
    klo = mk('kl_only')(3, **TINY).fit(X, edge_index=ei)
    assert np.allclose(a0.embedding_, klo.embedding_, atol=1e-6)
    other = mk('metanode_only')(3, **TINY).fit(X, edge_index=ei)
    assert not np.allclose(ref.embedding_, other.embedding_)        # a mode changes the training

def test_knn_positives_probe_k0_is_pamc(g60):
    "tools/pamc_knn_positives_probe.py: k=0 trains exactly as PamC; k>0 changes the positive operator and so the training."
    probe = _tool('pamc_knn_positives_probe')
    X, ei = g60.x.numpy(), g60.edge_index
    mk = lambda k, lam: type(f'K_{k}', (probe.KnnPosPamC,), {'knn': k, 'lam': lam})
    ref = PamC(3, **TINY).fit(X, edge_index=ei)
    k0 = mk(0, 1.)(3, **TINY).fit(X, edge_index=ei)
    assert np.allclose(ref.history_['loss'], k0.history_['loss'], rtol=1e-6) and (ref.labels_ == k0.labels_).all()
    k5 = mk(5, 1.)(3, **TINY).fit(X, edge_index=ei)
    assert not np.allclose(ref.history_['loss'], k5.history_['loss'])

def test_knn_positives_record():
    "The Cora probe the tutorial reads: feature-kNN positives gain on seeds 0-4 but not on the held-out seeds 5-9, and nothing reaches .72."
    import json, pathlib
    res = pathlib.Path(__file__).parents[1] / 'nbs' / 'tutorials' / 'graph_clustering_results'
    runs = {(r['k'], r['lam'], r['seed']): r for r in json.loads((res / 'probe_pamc_knn_positives_cora.json').read_text())['runs']}
    assert {s for k, _, s in runs if k == 0} == set(range(10))
    gain = lambda seeds: np.mean([runs[10, 1.0, s]['acc'] - runs[0, 0.5, s]['acc'] for s in seeds])
    assert gain(range(5)) > 0.01 and abs(gain(range(5, 10))) < 0.005
    assert max(np.mean([r['acc'] for (k, lam, s), r in runs.items() if (k, lam) == key]) for key in {(k, lam) for k, lam, _ in runs}) < 0.72

def test_cora_preset_records():
    "Cora with alpha=8, tau=2 (chosen on seeds 0-4): the ten-seed row meets the target, the held-out seeds alone too, every seed beats its control; Citeseer and USPS do not gain."
    import json, pathlib
    res = pathlib.Path(__file__).parents[1] / 'nbs' / 'tutorials' / 'graph_clustering_results'
    ld = lambda name: json.loads((res / name).read_text())
    new, ctl = ld('pamc-agcin8-h500z10-a8t2_cora.json'), ld('cora_preset/control.json')
    assert (new['protocol']['preset']['alpha'], new['protocol']['preset']['tau'], new['protocol']['preset']['beta']) == (8., 2., 2.5)
    assert new['protocol']['options']['smooth'] == '8' and new['protocol']['options']['hidden'] == '500'
    acc = {x['seed']: x['metrics']['acc'] for x in new['runs']}; c = {x['seed']: x['metrics']['acc'] for x in ctl['runs']}
    assert sorted(acc) == sorted(c) == list(range(10))
    s = new['summary']
    assert s['acc']['mean'] >= 0.72 and s['acc']['mean'] > s['agc_acc']['mean'] and s['nmi']['mean'] > s['agc_nmi']['mean']
    assert np.mean([acc[k] for k in range(5, 10)]) >= 0.72 and all(acc[k] > c[k] for k in range(10))
    held = ld('cora_preset/heldout_alpha8_tau2.json')
    assert [x['seed'] for x in held['runs']] == [5, 6, 7, 8, 9] and all(x['metrics']['acc'] == acc[x['seed']] for x in held['runs'])
    cc, c8 = ld('cora_preset/cite_control.json'), ld('cora_preset/cite_alpha8_tau2.json')
    assert abs(c8['summary']['acc']['mean'] - cc['summary']['acc']['mean']) < 0.01
    pu = {x['seed']: x['metrics']['acc'] for x in ld('pamc_usps.json')['runs']}
    assert all(x['metrics']['acc'] < pu[x['seed']] for x in ld('cora_preset/usps_alpha8_tau2.json')['runs'])
    ps = {x['seed']: x['metrics']['acc'] for x in ld('scgc-star_usps.json')['runs']}
    for t in ('0.5', '1'):                                         # a larger tau does not help SCGC* on USPS either
        x = ld(f'cora_preset/scgc-star_usps_tau{t}.json')['runs'][0]; assert x['metrics']['acc'] < ps[x['seed']] - 0.04
    x = ld('cora_preset/scgc-star_usps_tau0.125.json')['runs'][0]; assert x['metrics']['acc'] < ps[0]
    lr = ld('cora_preset/scgc-star_usps_lr0.002.json')['runs']                 # nor a doubled learning rate (3 seeds)
    assert [x['seed'] for x in lr] == [0, 1, 2] and np.mean([x['metrics']['acc'] for x in lr]) < np.mean([ps[k] for k in range(3)]) - 0.05

def test_probe_records():
    "The two probes the graph tutorial reads: the collapse probe reproduces the bench records' seeds and splits the loss as the tutorial says; no filter lifts Cora's k-means ceiling to .72."
    import json, pathlib
    res = pathlib.Path(__file__).parents[1] / 'nbs' / 'tutorials' / 'graph_clustering_results'
    probe = {(r['mode'], r['seed']): r for r in json.loads((res / 'probe_pamc_collapse_acm.json').read_text())['runs']}
    for mode, name in (('published', 'pamc-agcin3-h500z10_acm'), ('kl_only', 'pamc-agcin3-h500z10-a0_acm')):
        bench = {r['seed']: r['metrics']['acc'] for r in json.loads((res / f'{name}.json').read_text())['runs']}
        for s in (0, 4): assert probe[mode, s]['acc'] == pytest.approx(bench[s], abs=1e-9)
    assert probe['published', 4]['sizes']['200'][0] == 0 and probe['metanode_only', 4]['sizes']['10'][0] < 50
    assert min(probe['metanode_only', 4]['sizes']['200']) > 800 and probe['positive_only', 4]['smallest'] > 600
    assert all(probe[m, 4]['sizes']['200'][0] == 0 for m in ('unit_metanodes', 'warmup20', 'warmup50'))
    # repelling the DEC centres keeps ACM's clusters on ten seeds but loses to PamC's loss on DBLP and Citeseer
    for d, lo, hi in (('acm', 0.91, 0.915), ('dblp', 0.72, 0.725), ('cite', 0.685, 0.69)):
        cm = [r for r in json.loads((res / f'probe_pamc_collapse_{d}.json').read_text())['runs'] if r['mode'] == 'centre_metanodes']
        pub = json.loads((res / f'pamc-agcin3-h500z10_{d}.json').read_text())
        assert sorted(r['seed'] for r in cm) == list(range(10)) and lo < np.mean([r['acc'] for r in cm]) < hi
        assert min(min(r['sizes']['200']) for r in cm) > 0
        if d != 'acm': assert np.mean([r['acc'] for r in cm]) < pub['summary']['acc']['mean']
    filt = json.loads((res / 'probe_agc_filter.json').read_text())['results']
    best = {(d, f): max(v['acc'] for v in r.values()) for d, fs in filt.items() for f, r in fs.items()}
    assert set(best) == {(d, f) for d in ('cora', 'cite') for f in ('agc (I+A)/2', 'age (I+2A)/3')}
    assert max(best.values()) < 0.72 and round(best['cora', 'agc (I+A)/2'], 3) == round(best['cora', 'age (I+2A)/3'], 3) == 0.692


@pytest.mark.parametrize('cls', [SCGCStar, PamC])
def test_kmeans_readout_reads_the_same_model(cls, g60):
    # readout='kmeans' trains the same model as the published readout and labels it by k-means on the unit-length embedding
    from sklearn.cluster import KMeans
    X, ei = g60.x.numpy(), g60.edge_index
    a = cls(3, **TINY).fit(X, edge_index=ei)
    b = cls(3, readout='kmeans', **TINY).fit(X, edge_index=ei)
    np.testing.assert_allclose(a.history_['loss'], b.history_['loss'])
    np.testing.assert_array_equal(b.q_labels_, a.labels_)
    zu = b.embedding_ / np.linalg.norm(b.embedding_, axis=1, keepdims=True)
    np.testing.assert_array_equal(b.labels_, KMeans(3, n_init=TINY.get('kmeans_n_init', 20), random_state=TINY['random_state']).fit_predict(zu))
    np.testing.assert_array_equal(b.predict(X), b.labels_)
    assert b.predict_proba(X).shape == (60, 3) and np.allclose(b.predict_proba(X).sum(1), 1, atol=1e-5)


def test_bench_readout_option_keeps_the_published_labels_beside():
    from clusterkit.core import BENCHES
    import clusterkit.scgc  # noqa: F401
    res = BENCHES['pamc'].fn('digits', 0, epochs='3', pretrain_epochs='2', agc='0', readout='kmeans')
    assert 'k-means' in res['protocol']['readout'] and 0 <= res['metrics']['argmax_q_acc'] <= 1
    plain = BENCHES['pamc'].fn('digits', 0, epochs='3', pretrain_epochs='2', agc='0')
    assert 'argmax_q_acc' not in plain['metrics'] and plain['protocol']['readout'] == 'argmax q'
    assert plain['metrics']['acc'] == pytest.approx(res['metrics']['argmax_q_acc'], abs=1e-12)   # same model, published labels


def test_usps_split_and_kmeans_readout_records():
    "The twenty-fifth session's USPS records: split re-seeding (seeds 4, 5) and the k-means readout (bench option and probe) read the models the tutorial says."
    import json, pathlib
    res = pathlib.Path(__file__).parents[1] / 'nbs' / 'tutorials' / 'graph_clustering_results'
    load = lambda name: json.loads((res / f'{name}.json').read_text())
    pub = {r['seed']: r['metrics'] for r in load('scgc-star_usps')['runs']}
    probe = {r['seed']: r for r in load('readout_scgc-star_usps')['runs']}
    split = load('scgc-star-split_usps')
    assert split['protocol']['reseed_empty'] == 'split' and [r['seed'] for r in split['runs']] == [4, 5]
    for r in split['runs']:     # paired with the probe's argmax q: the same autoencoder start
        assert r['metrics']['ae_kmeans_acc'] == probe[r['seed']]['ae_kmeans_acc'] and r['extra']['reseeded'] >= 1
        assert min(r['extra']['cluster_sizes']) > 0
    kb = load('scgc-star-kmro_usps')
    assert kb['protocol']['readout'].startswith('k-means') and kb['protocol']['reseed_empty'] is False
    for r in kb['runs']:
        m, s = r['metrics'], r['seed']
        assert min(r['extra']['cluster_sizes']) > 0                       # k-means keeps every cluster
        if m['ae_kmeans_acc'] == pub[s]['ae_kmeans_acc']:                  # same start: argmax q is the committed record's final
            assert m['argmax_q_acc'] == pytest.approx(pub[s]['acc'], abs=1e-12) and m['argmax_q_nmi'] == pytest.approx(pub[s]['nmi'], abs=1e-12)
        if s in probe:                                                     # both ran: the option computes the probe's unit-norm readout
            assert m['acc'] == pytest.approx(probe[s]['kmeans_unit_z']['acc'], abs=1e-12)
    assert sorted(set(probe) | {r['seed'] for r in kb['runs']}) == list(range(10))   # the tutorial's 10 seeds, two sources
    assert sorted(set(probe) & {r['seed'] for r in kb['runs']}) == [0, 1]             # where both ran, they were compared above
