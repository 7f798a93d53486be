"Integration and property tests of clusterkit.hsi (SSGCO-EGAEL) and clusterkit.nn.ssgco."
import json, pathlib, warnings
import numpy as np
import pytest
import torch
from sklearn.utils.estimator_checks import (check_get_params_invariance, check_no_attributes_set_in_init,
                                            check_parameters_default_constructible, check_set_params)

from clusterkit.core import require_data
from clusterkit.hsi import (SuperpixelGCNClustering, bench_hsi_gcn, labelled_scores, region_adjacency,
                            relabel_segments, standardize_pca, superpixel_means, superpixel_oracle)
from clusterkit.synthetic import make_hsi_cube

def _tool(name):
    "Import one of the exploratory scripts in tools/ as a module."
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, pathlib.Path(__file__).parents[1] / 'tools' / f'{name}.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

RESULTS = pathlib.Path(__file__).parents[1] / 'nbs' / 'tutorials' / 'hyperspectral_results'   # the tutorial's committed records

def _record(*parts):
    "A committed JSON record under `RESULTS`, e.g. `_record('restarts', 'trace_salinas_a.json')`."
    return json.loads(RESULTS.joinpath(*parts).read_text())

HSI_FILES = {'salinas_a': ['hsi/SalinasA.mat', 'hsi/SalinasA_gt.mat'], 'samson': ['hsi/Samson.mat'],   # the data files of each scene
             'jasper_ridge': ['hsi/jasperRidge2_R198.mat', 'hsi/jasperRidge2_end4.mat']}

SEVEN_BASELINES = ['kmeans_pixels_', 'kmeans_superpixels_', 'spectral_superpixels_', 'ward_superpixels_',   # key prefixes of the
                   'spectral_knn_superpixels_', 'kmeans_angle_pixels_', 'kmeans_superpixels_step_']      # bench's baselines (the step's: with pixel_step)

FAST = dict(n_components=12, n_segments=36, compactness=1., warmup_epochs=8, epochs=4, hidden=16)

@pytest.fixture(scope='module')
def scene():
    lm = np.zeros((24, 24), np.int64); lm[:12, :12], lm[:12, 12:], lm[12:, :12], lm[12:, 12:] = 1, 2, 3, 4
    return make_hsi_cube(lm, n_bands=30, noise=0.05, random_state=0)

# scikit-learn's estimator checks: the ones that do not fit run as they are. The fitting checks feed 2-D tabular X,
# which this estimator rejects by design (it needs a 3-D cube), so they are not applicable.
@pytest.mark.parametrize('check', [check_parameters_default_constructible, check_no_attributes_set_in_init,
                                   check_get_params_invariance, check_set_params])
def test_sklearn_checks(check):
    check(SuperpixelGCNClustering.__name__, SuperpixelGCNClustering())

def test_tabular_input_rejected_with_reason(scene):
    with pytest.raises(ValueError, match=r'X should be 3-D \(H, W, B\)'):
        SuperpixelGCNClustering(4, **FAST).fit(np.random.rand(50, 5))

def test_reproducible_and_shapes(scene):
    cube, gt = scene
    a = SuperpixelGCNClustering(4, random_state=3, **FAST).fit(cube, eval_gt=gt)
    b = SuperpixelGCNClustering(4, random_state=3, **FAST).fit(cube)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_allclose(a.embedding_, b.embedding_, rtol=1e-5, atol=1e-6)
    assert a.labels_.shape == gt.shape and a.n_iter_ == 12
    assert set(a.history_) >= {'loss', 'align', 'proto', 'edge', 'eval'} and len(a.history_['eval']) == 5
    assert 'paper_best_' not in b.__dict__  # no ground truth, no oracle protocol
    w = a.edge_weight_.numpy(); assert (w > 0).all() and (w <= 1).all()  # gamma-mixes of 1 and sigmoids

def test_precomputed_segments_any_ids(scene):
    cube, gt = scene
    seg = (np.arange(24)[:, None] // 6) * 4 + np.arange(24)[None, :] // 6   # 16 blocks of 6 x 6
    est = SuperpixelGCNClustering(4, **dict(FAST, n_segments=1), random_state=0).fit(cube, segments=seg * 7 + 100)
    np.testing.assert_array_equal(est.segments_, seg)
    assert superpixel_oracle(seg, gt) == 1.0

def test_bad_input(scene):
    cube, gt = scene
    est = SuperpixelGCNClustering(4, **FAST)
    with pytest.raises(ValueError, match='3-D'): est.fit(cube[..., 0])
    with pytest.raises(ValueError, match=r'eval_gt has shape \(24, 23\) but the cube has H, W = \(24, 24\)'): est.fit(cube, eval_gt=gt[:, :-1])
    with pytest.raises(ValueError, match='n_segments=577 should be between 1 and the number of pixels H\\*W=576'):
        SuperpixelGCNClustering(4, **dict(FAST, n_segments=577)).fit(cube)
    bad = cube.copy(); bad[..., 5] = np.nan
    with pytest.raises(ValueError, match=r'1 band\(s\) \(first: band 5, 576 pixels\)'): est.fit(bad)
    with pytest.raises(ValueError, match='n_clusters=600'): SuperpixelGCNClustering(600, **FAST).fit(cube)
    with pytest.raises(ValueError, match='gamma=1.5'): SuperpixelGCNClustering(4, **dict(FAST, gamma=1.5)).fit(cube)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match='cuda'): SuperpixelGCNClustering(4, device='cuda', **FAST).fit(cube)

def test_constant_band_is_handled(scene):
    cube, _ = scene
    c = cube.copy(); c[..., 2] = 0.5
    with pytest.warns(UserWarning, match=r'1 constant band\(s\) \(first: band 2\)'):
        Z = standardize_pca(c, 8)
    assert np.isfinite(Z).all()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        est = SuperpixelGCNClustering(4, random_state=0, **FAST).fit(c)
    assert est.labels_.shape == c.shape[:2]

def test_graph_equivariance_and_means():
    rng = np.random.RandomState(0)
    seg = relabel_segments(rng.randint(0, 5, (12, 12)))
    perm = rng.permutation(seg.max() + 1)
    e1 = {tuple(e) for e in region_adjacency(seg).T.tolist()}
    e2 = {tuple(e) for e in region_adjacency(perm[seg]).T.tolist()}
    assert {(perm[i], perm[j]) for i, j in e1} == e2
    assert all((j, i) in e1 for i, j in e1) and all(i != j for i, j in e1)
    Z = rng.rand(12, 12, 3)
    np.testing.assert_allclose(superpixel_means(Z, perm[seg])[perm], superpixel_means(Z, seg), rtol=1e-6)

def test_scores_invariant_to_cluster_names(scene):
    _, gt = scene
    pred = np.where(gt > 0, gt, 0)
    renamed = np.array([9, 3, 7, 1, 5])[pred]
    assert labelled_scores(gt, pred) == labelled_scores(gt, renamed)

def test_bench_smoke():
    if not require_data(*HSI_FILES['salinas_a']): pytest.skip('Salinas-A not in the data directory')
    out = bench_hsi_gcn('salinas_a', 0, 'cpu', warmup_epochs='3', epochs='2', hidden='16')
    m = out['metrics']
    for k in ('acc', 'nmi', 'kappa', 'ari', 'purity', 'paper_best_acc', 'kmeans_pixels_acc', 'kmeans_superpixels_acc',
              'spectral_superpixels_acc', 'ward_superpixels_acc', 'spectral_knn_superpixels_acc', 'kmeans_angle_pixels_acc',
              'oracle_superpixel_acc'):
        assert 0 <= m[k] <= 1, k
    assert not any(k.startswith(('superpixel_', 'kmeans_superpixels_step_')) for k in m)   # only with pixel_step
    # the training-free spatially constrained Ward is the strongest baseline on Salinas-A (0.8912 with the preset segmentation)
    assert m['ward_superpixels_acc'] > 0.85 and m['ward_superpixels_acc'] > m['kmeans_superpixels_acc']
    crit = lambda pre: sum(m[pre + k] for k in ('acc', 'kappa', 'nmi', 'ari'))
    assert crit('paper_best_') >= crit('') - 1e-9  # the last epoch is one of the candidates
    assert out['timings']['pipeline_s'] > 0
    step = bench_hsi_gcn('salinas_a', 0, 'cpu', warmup_epochs='3', epochs='2', hidden='16', pixel_step='angle')
    s = step['metrics']
    assert step['protocol']['pixel_step'] == 'angle'
    # the same model: its labels before the step are the plain run's labels; the baselines are the same runs
    assert {k: s['superpixel_' + k] for k in ('acc', 'nmi')} == {k: m[k] for k in ('acc', 'nmi')}
    assert all(s[k] == m[k] for k in m if k.startswith(('kmeans_', 'ward_', 'spectral_', 'oracle_')))
    assert 0 <= s['kmeans_superpixels_step_acc'] <= 1 and s['acc'] != m['acc']

def test_euclidean_kmeans_agrees_with_sklearn():
    from sklearn.cluster import KMeans
    from sklearn.datasets import make_blobs
    from sklearn.metrics import adjusted_rand_score
    from clusterkit.hsi import euclidean_kmeans
    X, y = make_blobs(400, centers=5, n_features=8, cluster_std=1.0, random_state=0)
    lab, C = euclidean_kmeans(torch.tensor(X), 5, n_init=10, generator=torch.Generator().manual_seed(0))
    lab = lab.numpy(); C = C.numpy()
    ours = ((X - C[lab]) ** 2).sum()
    ref = KMeans(5, n_init=10, random_state=0).fit(X)
    assert ours <= ref.inertia_ * (1 + 1e-6)                  # at least as good an optimum as scikit-learn's
    assert adjusted_rand_score(ref.labels_, lab) > 0.99
    np.testing.assert_allclose(C[lab[0]], X[lab == lab[0]].mean(0), rtol=1e-9)   # centres are the means

def test_cluster_on_encoder_reproducible_and_checked(scene):
    cube, gt = scene
    a = SuperpixelGCNClustering(4, random_state=1, cluster_on='encoder', **FAST).fit(cube, eval_gt=gt)
    b = SuperpixelGCNClustering(4, random_state=1, cluster_on='encoder', **FAST).fit(cube)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    assert labelled_scores(gt, a.labels_)['acc'] > 0.7       # four equal materials: chance is about .25-.4, a collapse .25
    with pytest.raises(ValueError, match="cluster_on='cosine' should be 'projection' or 'encoder'"):
        SuperpixelGCNClustering(4, cluster_on='cosine', **FAST).fit(cube)

@pytest.mark.parametrize('n_layers', [1, 2])
def test_pixel_step_readout_of_the_exploratory_script(scene, n_layers):
    "tools/hsi_pixel_step.py (the tutorial's pixel-level last step): its superpixel rows are the fitted encoder's output, and a pixel equal to its superpixel's mean gets that superpixel's embedding."
    import copy
    mod = _tool('hsi_pixel_step')
    cube, gt = scene
    est = SuperpixelGCNClustering(4, random_state=0, **dict(FAST, n_layers=n_layers)).fit(cube)
    hs, hp = mod.encoder_pixel_embeddings(est)
    np.testing.assert_allclose(hs.numpy(), est.encode(), rtol=1e-4, atol=1e-5)
    assert hp.shape == (cube.shape[0] * cube.shape[1], hs.shape[1])
    flat = copy.copy(est); flat.pca_ = est.features_[est.segments_]          # every pixel replaced by its superpixel's mean
    hs2, hp2 = mod.encoder_pixel_embeddings(flat)
    np.testing.assert_allclose(hp2.numpy(), hs2[torch.as_tensor(est.segments_.reshape(-1))].numpy(), rtol=1e-4, atol=1e-5)
    assert not torch.allclose(hp, hs[torch.as_tensor(est.segments_.reshape(-1))])   # real pixels do move

def test_ward_readout_records_reproduce_the_bench_records():
    "tools/hsi_ward_readout.py refits the presets: its method and Ward-baseline rows must equal the committed bench records seed by seed, and its k-means row must be a k-means of the same embedding (close to the method)."
    for d in ('salinas_a', 'samson', 'jasper_ridge'):
        bench = {r['seed']: r['metrics'] for r in _record(f'hsi_{d}.json')['runs']}
        rows = _record(f'ward_readout_{d}.json')
        assert [r['seed'] for r in rows] == [0, 1, 2]
        for r in rows:
            m = bench[r['seed']]
            assert r['method'] == {'acc': m['acc'], 'nmi': m['nmi']}
            assert r['ward_superpixel_means'] == {'acc': m['ward_superpixels_acc'], 'nmi': m['ward_superpixels_nmi']}
            assert abs(r['kmeans_encoder']['acc'] - m['acc']) < 0.01
            if d == 'salinas_a': assert r['ward_graph'] == r['ward_region']   # the preset has no kNN edges

def test_felzenszwalb_records_come_from_the_committed_script():
    "tools/hsi_felzenszwalb.py: its records hold seeds 0-4, and their training-free parts (superpixel count, oracle, k-means and Ward on the superpixel means) are recomputed here from the script's segmentation, seed by seed."
    if not require_data(*sum(HSI_FILES.values(), [])): pytest.skip('the three HSI scenes are not in the data directory')
    from sklearn.cluster import KMeans
    from clusterkit.data import load_hsi
    from clusterkit.hsi import HSI_PRESETS, spatial_ward
    mod = _tool('hsi_felzenszwalb')
    for d in HSI_FILES:
        rows = _record(f'felzenszwalb_{d}.json')
        assert [r['seed'] for r in rows] == [0, 1, 2, 3, 4]
        scene = load_hsi(d); K = int(len(np.unique(scene.gt[scene.gt > 0]))); nc = HSI_PRESETS[d]['n_components']
        seg = mod.felzenszwalb_segments(scene.cube, nc)
        means = np.asarray(superpixel_means(standardize_pca(scene.cube, nc), seg))
        score = lambda sp: {k: v for k, v in labelled_scores(scene.gt, sp[seg]).items() if k in ('acc', 'nmi')}
        ward = score(spatial_ward(means, region_adjacency(seg), K))
        for r in rows:
            assert r['n_superpixels'] == seg.max() + 1 and r['oracle_superpixel_acc'] == pytest.approx(superpixel_oracle(seg, scene.gt))
            assert r['ward_superpixels'] == pytest.approx(ward)
            assert r['kmeans_superpixels'] == pytest.approx(score(KMeans(K, n_init=10, random_state=r['seed']).fit_predict(means)))
            assert 0 < r['method']['acc'] <= 1 and r['pipeline_s'] > 0


def test_rerun_on_another_cpu():
    "hyperspectral_results/repro_b/: seed 0 of each scene re-run on another CPU; the baselines are identical and the method moves by less than its seed spread, as the tutorial says."
    for s in ('salinas_a', 'samson', 'jasper_ridge'):
        rec = _record(f'hsi_{s}.json')
        n = _record('repro_b', f'hsi_{s}.json')
        a, b = rec['runs'][0]['metrics'], n['runs'][0]['metrics']
        assert n['protocol']['environment']['cpu'] and n['runs'][0]['seed'] == rec['runs'][0]['seed'] == 0
        assert all(a[k] == b[k] for k in a if k.startswith(('kmeans_', 'spectral_', 'oracle_')))
        assert abs(a['acc'] - b['acc']) < rec['summary']['acc']['std']
        assert (a['acc'] == b['acc']) == (s == 'jasper_ridge')

def test_local_step_records():
    "hyperspectral_results/local_step_<scene>.json (tools/hsi_local_step.py): seeds 0-4 whose method rows agree with the bench records within one ACC point (refitted on another CPU), whose baseline equals them, and whose restricted steps changed only a minority of pixels."
    for d in ('salinas_a', 'samson', 'jasper_ridge'):
        rec = _record(f'hsi_{d}.json')
        bench = {r['seed']: r['metrics'] for r in rec['runs']}
        rows = _record(f'local_step_{d}.json')
        assert [r['seed'] for r in rows] == [0, 1, 2, 3, 4]
        for r in rows:
            m = bench[r['seed']]
            assert abs(r['method']['acc'] - m['acc']) < 0.01
            assert r['kmeans_pixels'] == {'acc': m['kmeans_pixels_acc'], 'nmi': m['kmeans_pixels_nmi']}
            assert 0 < r['moved'] < 0.2 and 0 < r['moved_angle'] < 0.2
            assert set(r) >= {'local_step', 'pca_step', 'local_angle_step', 'angle_step'}

def test_oracle97_records():
    "hyperspectral_results/oracle97/: the finer segmentations' records hold seeds 0-4 and their superpixel counts and oracles are recomputed here from the data (SLIC n_segments=3500, compactness=0.01 on Samson; Felzenszwalb scale=2, min_size=3)."
    files = {k: HSI_FILES[k] for k in ('samson', 'jasper_ridge')}
    if not require_data(*sum(files.values(), [])): pytest.skip('the Samson and Jasper Ridge scenes are not in the data directory')
    from clusterkit.data import load_hsi
    from clusterkit.hsi import slic_superpixels
    fz = _tool('hsi_felzenszwalb')
    sa = load_hsi('samson')
    slic = _record('oracle97', 'slic3500_samson.json')
    assert slic['protocol']['seeds'] == [0, 1, 2, 3, 4] and slic['protocol']['options'] == {'n_segments': '3500', 'compactness': '0.01'}
    seg = slic_superpixels(standardize_pca(sa.cube, 20, random_state=0), 3500, 0.01)
    assert slic['protocol']['n_superpixels'] == seg.max() + 1
    assert slic['summary']['oracle_superpixel_acc']['mean'] == pytest.approx(superpixel_oracle(seg, sa.gt)) and superpixel_oracle(seg, sa.gt) >= 0.97
    for d in files:
        rows = _record('oracle97', f'felzenszwalb3_{d}.json')
        assert [r['seed'] for r in rows] == [0, 1, 2, 3, 4] and all((r['scale'], r['min_size']) == (2.0, 3) for r in rows)
        scene = sa if d == 'samson' else load_hsi(d)
        seg = fz.felzenszwalb_segments(scene.cube, 20, scale=2.0, min_size=3)
        for r in rows:
            assert r['n_superpixels'] == seg.max() + 1 and r['oracle_superpixel_acc'] == pytest.approx(superpixel_oracle(seg, scene.gt))

def test_pixel_step_angle_records():
    "hyperspectral_results/pixel_step_angle/: the bench with -o pixel_step=angle, seeds 0-9. On seeds 0-4 its labels before and after the step are the probe's rows (the same fits on the same CPU), its baselines are those of the preset's records, and the Jasper Ridge verdict the tutorial states holds."
    for d in ('salinas_a', 'samson', 'jasper_ridge'):
        rec = _record('pixel_step_angle', f'hsi_{d}.json')
        assert rec['protocol']['options'] == {'pixel_step': 'angle'} and rec['protocol']['seeds'] == list(range(10))
        runs = {r['seed']: r['metrics'] for r in rec['runs']}
        pre = {r['seed']: r['metrics'] for r in _record(f'hsi_{d}.json')['runs']}
        probe = {r['seed']: r for r in _record(f'local_step_{d}.json')}
        for s in range(5):
            m = runs[s]
            assert {k: m['superpixel_' + k] for k in ('acc', 'nmi')} == probe[s]['method']
            assert {k: m[k] for k in ('acc', 'nmi')} == probe[s]['local_angle_step']
            assert all(m[k] == pre[s][k] for k in pre[s] if k.startswith(('kmeans_pixels_', 'kmeans_superpixels_', 'ward_', 'oracle_')))
        mean = lambda k, seeds=range(10): np.mean([runs[s][k] for s in seeds])
        for seeds in (range(10), range(5, 10)):
            best_acc = max(mean(b + 'acc', seeds) for b in SEVEN_BASELINES); best_nmi = max(mean(b + 'nmi', seeds) for b in SEVEN_BASELINES)
            met = mean('acc', seeds) > best_acc and mean('nmi', seeds) > best_nmi
            assert met == (d == 'jasper_ridge')
            if d == 'samson': assert mean('kmeans_angle_pixels_acc', seeds) > 0.97 > mean('acc', seeds)

def test_unit_spectra_record():
    "hyperspectral_results/unit_spectra_samson.json (tools/hsi_unit_spectra.py): seeds 0 and 1, the step raises both, and every row stays below k-means by spectral angle on Samson (.972), as the tutorial says."
    rows = _record('unit_spectra_samson.json')
    assert [r['seed'] for r in rows] == [0, 1]
    for r in rows:
        assert r['with_step']['acc'] > r['before_step']['acc'] and max(v['acc'] for k, v in r.items() if isinstance(v, dict)) < 0.972

def test_restarts_records():
    "hyperspectral_results/restarts/ (tools/hsi_restarts.py): the ten fits are the bench's pixel_step='angle' fits, before and after the step; the medoid of 3 or 5 restarts raises every scene's mean and worst ACC after the step; and the bench with n_restarts=3 (seeds 0-4) returns the medoid of seeds s, s+1, s+2."
    for d in ('salinas_a', 'samson', 'jasper_ridge'):
        r = _record('restarts', f'restarts_{d}.json')
        runs = {x['seed']: x['metrics'] for x in _record('pixel_step_angle', f'hsi_{d}.json')['runs']}
        assert r['after']['seeds'] == list(range(10))
        for key, pre in (('after', ''), ('before', 'superpixel_')):
            for m in ('acc', 'nmi'): assert r[key][m] == [runs[s][pre + m] for s in range(10)]
        t = r['after']
        for R, n in ((3, 120), (5, 252)):
            m = t[f'medoid_of_{R}']
            assert m['n_subsets'] == n and m['mean_acc'] > t['single_mean_acc'] and m['min_acc'] > t['single_min_acc']
            for c in m['consecutive']:
                assert c['random_state'] <= c['pick'] < c['random_state'] + R and c['acc'] == t['acc'][c['pick']]
        if d == 'salinas_a':   # tools/hsi_restarts.py trace: the preset alone, seeds 5-9, is the variant before its step
            tr = _record('restarts', 'trace_salinas_a.json')
            assert [x['final'] for x in tr] == [runs[x['seed']]['superpixel_acc'] for x in tr] == r['before']['acc'][5:]
            assert all(abs(x['final'] - x['median']) < 0.015 and x['after_warmup'] <= x['best_of_last_10'] for x in tr)
            wu = _record('restarts', 'warmup900_salinas_a.json')   # a longer warm-up, seeds 6 and 9
            assert wu['protocol']['options'] == {'warmup_epochs': '900'} and wu['protocol']['seeds'] == [6, 9]
            assert all(x['metrics']['acc'] < 0.79 and x['metrics']['acc'] < runs[x['seed']]['superpixel_acc'] for x in wu['runs'])
        bench = _record('restarts', f'hsi_{d}.json')
        assert bench['protocol']['options'] == {'pixel_step': 'angle', 'n_restarts': '3'} and bench['protocol']['seeds'] == list(range(5))
        cons = {c['random_state']: c for c in t['medoid_of_3']['consecutive']}
        for x in bench['runs']:
            assert (x['metrics']['acc'], x['metrics']['nmi']) == (cons[x['seed']]['acc'], cons[x['seed']]['nmi'])

def test_landscape_records():
    "hyperspectral_results/restarts/landscape_<scene>.json (tools/hsi_restarts.py landscape): the fits are the ten-seed records' fits before the step; the best of 100 k-means runs is far above the method only on Salinas-A, and no label-free rule (smallest inertia, medoid, shortest boundary, largest silhouette, evidence accumulation, K + 1 clusters and the least-inertia merge) is more than 0.3 points above the method on the mean of any scene, as the tutorial says; on Salinas-A the best single merge of K + 1 clusters (an oracle) passes 0.90."
    gap = {}
    for d in ('salinas_a', 'samson', 'jasper_ridge'):
        rows = _record('restarts', f'landscape_{d}.json')
        runs = {x['seed']: x['metrics'] for x in _record('pixel_step_angle', f'hsi_{d}.json')['runs']}
        assert [r['seed'] for r in rows] == list(range(10)) and all(r['runs'] == 100 for r in rows)
        assert [r['method'] for r in rows] == [runs[s]['superpixel_acc'] for s in range(10)]
        for r in rows:
            picked = [r[k] for k in ('min_inertia', 'medoid', 'min_boundary', 'max_silhouette')]   # each picks one of the runs
            assert r['worst_run'] <= min(picked) and max(picked) <= r['best_run']
        gap[d] = max(r['best_run'] - r['method'] for r in rows)
        mean = lambda k: np.mean([r[k] for r in rows])
        assert all(mean(k) <= mean('method') + 0.003 for k in ('min_inertia', 'medoid', 'min_boundary', 'max_silhouette', 'evidence_accumulation', 'split_merge_ward'))
        assert all(r['split_merge_ward'] <= r['split_merge_best'] for r in rows)   # K + 1 clusters: the oracle merge bounds Ward's
        if d == 'salinas_a':
            assert [r['seed'] for r in rows if r['best_run'] > 0.90] == [7, 9] and mean('min_boundary') < mean('method') - 0.05
            # one merge away: the best merge passes 0.90 on eight seeds and joins two mostly-corn clusters; the least-inertia merge does not help
            assert sum(r['split_merge_best'] > 0.90 for r in rows) == 8 and mean('split_merge_best') > 0.94 > 0.82 > mean('split_merge_ward')
            assert all(all(c.startswith('Corn') for c in r['split_merge_best_classes']) and r['split_merge_ward'] < r['split_merge_best'] for r in rows)
    assert gap['samson'] < 0.005 and gap['jasper_ridge'] < 0.035 < 0.2 < gap['salinas_a']

def test_long_schedule_records():
    "hyperspectral_results/long_schedule/ (the reference's warm-up lengths, seeds 0-1, pixel_step='angle'): the protocol is what the tutorial says, the same seeds with the preset's schedule are not beaten on the mean final ACC of any scene, and on Salinas-A only the label-picked epoch passes 0.90."
    warm = {'salinas_a': 1220, 'samson': 1300, 'jasper_ridge': 1380}
    for d, w in warm.items():
        rec = _record('long_schedule', f'hsi_{d}.json')
        assert (rec['protocol']['warmup_epochs'], rec['protocol']['epochs'], rec['protocol']['pixel_step'], rec['protocol']['seeds']) == (w, 300, 'angle', [0, 1])
        short = {x['seed']: x['metrics'] for x in _record('pixel_step_angle', f'hsi_{d}.json')['runs']}
        long = {x['seed']: x['metrics'] for x in rec['runs']}
        assert np.mean([long[s]['acc'] for s in (0, 1)]) <= np.mean([short[s]['acc'] for s in (0, 1)])
        if d == 'salinas_a':
            assert all(long[s]['paper_best_acc'] > 0.90 > long[s]['acc'] for s in (0, 1))
            assert all(short[s]['paper_best_acc'] < 0.85 for s in (0, 1))
            trace = {r['seed']: r for r in _record('long_schedule', 'trace_salinas_a.json')}   # the same fits, no step, every epoch scored
            assert all(trace[s]['epochs_near_best'] == 1 and trace[s]['best'] - trace[s]['median'] > 0.04 for s in (0, 1))
            assert [round(trace[s]['final'], 4) for s in (0, 1)] == [round(long[s]['superpixel_acc'], 4) for s in (0, 1)]

def test_pixel_nodes_record():
    "hyperspectral_results/pixel_nodes_samson.json (tools/hsi_pixel_nodes.py): every pixel its own node on Samson, seeds 0 and 1; below the preset's record on the same seeds and, even at the oracle epoch, far below k-means by spectral angle, as the tutorial says."
    rows = _record('pixel_nodes_samson.json')
    pre = {x['seed']: x['metrics'] for x in _record('hsi_samson.json')['runs']}
    angle = {x['seed']: x['metrics']['kmeans_angle_pixels_acc'] for x in _record('pixel_step_angle', 'hsi_samson.json')['runs']}
    assert [r['seed'] for r in rows] == [0, 1] and all(r['n_nodes'] == 95 * 95 for r in rows)
    for r in rows:
        assert r['method']['acc'] < pre[r['seed']]['acc'] and r['method']['nmi'] < pre[r['seed']]['nmi']
        assert r['paper_best']['acc'] < 0.95 < angle[r['seed']]

def test_oracle_protocol_misses_the_targets():
    "The tutorial's oracle check: on every committed bench record of the method, even the paper-best protocol (epoch picked with the labels) misses the Salinas-A rule (ACC >= max(.90, Ward + .05)) and Samson's (above k-means by spectral angle), on the mean and on every single seed; on Jasper Ridge it is met exactly where the final protocol is (the angle step)."
    base = {d: {x['seed']: x['metrics'] for x in _record('pixel_step_angle', f'hsi_{d}.json')['runs']} for d in ('salinas_a', 'samson', 'jasper_ridge')}
    mean = lambda d, k: np.mean([m[k] for m in base[d].values()])
    best = {d: [max(mean(d, b + m) for b in SEVEN_BASELINES) for m in ('acc', 'nmi')] for d in base}   # the best baseline's ACC and NMI
    need = {'salinas_a': max(0.90, best['salinas_a'][0] + 0.05), 'samson': best['samson'][0]}
    assert need['salinas_a'] > 0.94 and need['samson'] > 0.97
    seen = {d: [] for d in base}
    for path in sorted(RESULTS.rglob('*.json')):
        rec = json.loads(path.read_text())
        if not (isinstance(rec, dict) and 'runs' in rec and 'paper_best_acc' in rec['runs'][0]['metrics']): continue
        d = next(d for d in base if path.name.endswith(f'{d}.json')); seen[d].append(str(path.relative_to(RESULTS)))
        pb = [x['metrics']['paper_best_acc'] for x in rec['runs']]
        if d in need: assert max(pb) < need[d], path
        else:
            met = np.mean(pb) > best[d][0] and np.mean([x['metrics']['paper_best_nmi'] for x in rec['runs']]) > best[d][1]
            opts = rec['protocol']['options']
            assert met == (opts.get('pixel_step') == 'angle' and 'warmup_epochs' not in opts), path
    assert [len(v) for v in seen.values()] == [7, 6, 5]   # the records the tutorial's table lists

def test_spatial_context_diagnostic():
    "The tutorial's mode-filter diagnostic: Samson's ground truth agrees with its own 5x5 majority on fewer pixels than k-means by spectral angle gets right, and a 3x3 majority filter lowers that baseline on Samson but raises it on Salinas-A."
    files = {k: HSI_FILES[k] for k in ('salinas_a', 'samson')}
    if not require_data(*sum(files.values(), [])): pytest.skip('the Salinas-A and Samson scenes are not in the data directory')
    from scipy import ndimage
    from clusterkit.data import load_hsi
    from clusterkit.hsi import angle_kmeans
    def mode_filter(lab, w, ids):
        return np.asarray(ids)[np.stack([ndimage.uniform_filter((lab == k).astype(float), w, mode='nearest') for k in ids], -1).argmax(-1)]
    acc = {}
    for d in files:
        sc = load_hsi(d); ids = np.unique(sc.gt[sc.gt > 0]); ang = angle_kmeans(sc.cube, len(ids), random_state=0)
        acc[d] = (labelled_scores(sc.gt, ang)['acc'], labelled_scores(sc.gt, mode_filter(ang, 3, range(len(ids))))['acc'],
                  (mode_filter(sc.gt, 5, ids) == sc.gt)[sc.gt > 0].mean())
    assert acc['samson'][2] < 0.96 < 0.97 < acc['samson'][0] and acc['samson'][1] < acc['samson'][0]
    assert acc['salinas_a'][1] > acc['salinas_a'][0] and acc['salinas_a'][2] == 1.0

def test_ers_segments_tool():
    "tools/hsi_ers.py: ERS returns exactly K superpixels, each 8-connected, and cuts a piecewise-constant image along its steps."
    from scipy import ndimage
    ers = _tool('hsi_ers')
    img = np.zeros((16, 16)); img[:8, 8:], img[8:, :8], img[8:, 8:] = 60, 120, 180
    seg = ers.ers_segments(img, 4)
    assert all(len(np.unique(seg[r:r + 8, c:c + 8])) == 1 for r in (0, 8) for c in (0, 8)) and len(np.unique(seg)) == 4
    img = np.random.default_rng(0).normal(128, 20, (20, 20))
    for K in (1, 7, 50, 400):
        seg = ers.ers_segments(img, K)
        assert seg.max() + 1 == K and all(ndimage.label(seg == k, structure=np.ones((3, 3)))[1] == 1 for k in range(K))
    with pytest.raises(ValueError, match='n_segments=0 should be between 1'): ers.ers_segments(img, 0)

def test_ers_records():
    "hyperspectral_results/ers_<scene>.json (tools/hsi_ers.py): seeds 0-4, the superpixel count of the preset's SLIC and the oracle are recomputed from the script's segmentation, and the method's mean is below the SLIC record's on every scene, as the tutorial says."
    if not require_data(*sum(HSI_FILES.values(), [])): pytest.skip('the three HSI scenes are not in the data directory')
    from clusterkit.data import load_hsi
    from clusterkit.hsi import HSI_PRESETS, slic_superpixels
    ers = _tool('hsi_ers')
    for d in HSI_FILES:
        rows = _record(f'ers_{d}.json')
        slic = _record(f'hsi_{d}.json')['runs']
        assert [r['seed'] for r in rows] == [0, 1, 2, 3, 4]
        sc, p = load_hsi(d), HSI_PRESETS[d]
        M = int(slic_superpixels(standardize_pca(sc.cube, p['n_components']), p['n_segments'], p['compactness']).max() + 1)
        seg = ers.ers_segments(ers.first_component_image(sc.cube, p['n_components']), M)
        assert all(r['n_superpixels'] == M and r['oracle_superpixel_acc'] == pytest.approx(superpixel_oracle(seg, sc.gt)) for r in rows)
        assert np.mean([r['method']['acc'] for r in rows]) < np.mean([r['metrics']['acc'] for r in slic[:5]])
