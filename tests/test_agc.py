"""Integration and property tests for clusterkit.agc."""
import numpy as np
import pytest
import torch
from sklearn.metrics import adjusted_rand_score

from clusterkit.synthetic import make_csbm
from clusterkit.agc import AGC, agc_path, select_order, mean_intra_distance


@pytest.fixture(scope='module')
def g():
    return make_csbm(60, 3, avg_degree=6, n_features=16, homophily=0.9, feature_signal=1., random_state=0)


def test_reproducible(g):
    a = AGC(3, max_order=8, random_state=0).fit(g.x.numpy(), edge_index=g.edge_index)
    b = AGC(3, max_order=8, random_state=0).fit(g.x.numpy(), edge_index=g.edge_index)
    np.testing.assert_array_equal(a.labels_, b.labels_); assert a.order_ == b.order_


def test_label_free_order_follows_rule(g):
    p = agc_path(g.x.numpy(), g.edge_index, 3, max_order=8, random_state=0, y=g.y.numpy())
    k = p['order']
    assert all(p['intra'][i] <= p['intra'][i - 1] for i in range(1, k))
    assert k == len(p['intra']) or p['intra'][k] >= p['intra'][k - 1]
    assert p['acc'][p['oracle_order'] - 1] == max(p['acc'])


def test_node_permutation_permutes_partition():
    g = make_csbm(60, 3, avg_degree=8, n_features=16, homophily=0.95, feature_signal=4., random_state=3)
    X, ei = g.x.numpy(), g.edge_index
    perm = np.random.default_rng(0).permutation(60); inv = np.argsort(perm)
    a = AGC(3, max_order=6, random_state=0).fit(X, edge_index=ei)
    b = AGC(3, max_order=6, random_state=0).fit(X[perm], edge_index=torch.as_tensor(inv)[ei])
    assert adjusted_rand_score(a.labels_[perm], b.labels_) == pytest.approx(1.0)


def test_intra_distance_invariant_to_cluster_renaming():
    H = np.random.default_rng(0).random((30, 4)); lab = np.arange(30) % 3
    assert mean_intra_distance(H, lab) == pytest.approx(mean_intra_distance(H, (lab + 1) % 3))
    assert select_order([1.0]) == 1


def test_bad_input(g):
    X = g.x.numpy()
    with pytest.raises(ValueError, match='AGC needs a graph'): AGC(3).fit(X)
    with pytest.raises(ValueError, match='refers to node 99'): AGC(3).fit(X, edge_index=torch.tensor([[0], [99]]))
    with pytest.raises(ValueError, match='max_order=0'): AGC(3, max_order=0).fit(X, edge_index=g.edge_index)
    Xn = X.copy(); Xn[1, 1] = np.inf
    with pytest.raises(ValueError, match='NaN|infinit'): AGC(3).fit(Xn, edge_index=g.edge_index)


def test_bench_registered():
    from clusterkit.core import BENCHES
    import clusterkit.agc  # noqa: F401
    assert 'agc' in BENCHES and 'acm' in BENCHES['agc'].datasets
