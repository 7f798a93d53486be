"Property tests for clusterkit.synthetic: invariants, reproducibility and bad input."
import numpy as np, pytest, torch
from clusterkit.core import check_distributions
from clusterkit.synthetic import make_csbm, make_hsi_cube, make_lowrank_ldl


@pytest.mark.parametrize('n,k,deg', [(2, 1, 1), (37, 5, 4), (500, 7, 12)])
def test_csbm_invariants(n, k, deg):
    d = make_csbm(n, k, avg_degree=deg, n_features=3, homophily=1.0 if k == 1 else 0.7, random_state=0)
    ei = d.edge_index
    assert d.num_nodes == n and d.x.shape == (n, 3) and d.y.shape == (n,)
    assert ei.dtype == torch.long and (ei >= 0).all() and (ei < n).all()
    assert (ei[0] != ei[1]).all()
    key = ei[0] * n + ei[1]
    assert torch.unique(key).numel() == key.numel()
    assert torch.equal(torch.sort(key).values, torch.sort(ei[1] * n + ei[0]).values)
    sizes = torch.bincount(d.y, minlength=k)
    assert sizes.max() - sizes.min() <= 1


def test_csbm_homophily_extremes():
    d = make_csbm(300, 3, homophily=1.0, random_state=1)
    assert (d.y[d.edge_index[0]] == d.y[d.edge_index[1]]).all()
    d = make_csbm(300, 3, homophily=0.0, random_state=1)
    assert (d.y[d.edge_index[0]] != d.y[d.edge_index[1]]).all()


def test_csbm_feature_signal():
    "With strong signal the class means separate; with none they do not."
    for s, expect_sep in ((4.0, True), (0.0, False)):
        d = make_csbm(1000, 2, n_features=16, feature_signal=s, random_state=0)
        gap = (d.x[d.y == 0].mean(0) - d.x[d.y == 1].mean(0)).norm().item()
        assert (gap > 3) == expect_sep, (s, gap)


def test_csbm_reproducible():
    a, b = make_csbm(200, 4, random_state=7), make_csbm(200, 4, random_state=7)
    assert torch.equal(a.edge_index, b.edge_index) and torch.equal(a.x, b.x) and torch.equal(a.y, b.y)
    rs = np.random.RandomState(0)
    assert not torch.equal(make_csbm(200, 4, random_state=rs).x, make_csbm(200, 4, random_state=rs).x)


@pytest.mark.parametrize('kw,msg', [(dict(n_nodes=1), 'n_nodes=1'), (dict(n_nodes=5, n_clusters=9), 'n_clusters=9'),
                                    (dict(n_nodes=5, homophily=-0.1), 'homophily=-0.1'),
                                    (dict(n_nodes=5, avg_degree=0), 'avg_degree=0'),
                                    (dict(n_nodes=5, feature_signal=-1), 'feature_signal=-1'),
                                    (dict(n_nodes=5, n_clusters=1, homophily=0.5), 'n_clusters')])
def test_csbm_bad_input(kw, msg):
    with pytest.raises(ValueError, match=msg): make_csbm(**kw)


def test_hsi_cube():
    lm = np.random.RandomState(0).randint(0, 4, (9, 11))
    cube, gt = make_hsi_cube(lm, n_bands=7, noise=0.0, brightness=0.0, random_state=0)
    assert cube.shape == (9, 11, 7) and cube.dtype == np.float32 and np.array_equal(gt, lm)
    for c in range(4):  # without noise or brightness every pixel of a class has its class spectrum
        px = cube[gt == c]
        assert np.allclose(px, px[0])
    cube2, _, sp = make_hsi_cube(lm, n_bands=7, random_state=0, return_spectra=True)
    assert sp.shape == (4, 7) and np.isfinite(cube2).all()
    with pytest.raises(ValueError, match='dtype float'): make_hsi_cube(lm.astype(float))
    with pytest.raises(ValueError, match='brightness=1'): make_hsi_cube(lm, brightness=1)


@pytest.mark.parametrize('r', [1, 2, 5])
def test_lowrank_ldl(r):
    X, D, A, B = make_lowrank_ldl(100, n_labels=5, rank=r, n_features=4, random_state=r, return_factors=True)
    check_distributions(D, atol=1e-12)
    assert X.shape == (100, 4) and D.dtype == np.float64
    assert np.linalg.matrix_rank(D, tol=1e-10) <= r
    assert np.allclose(A @ B, D)
    with pytest.raises(ValueError, match='rank=6'): make_lowrank_ldl(10, n_labels=5, rank=6)
