"""Property tests for clusterkit.metrics: agreement with scikit-learn, invariance to renaming, bad input."""
import numpy as np, pytest
from sklearn import metrics as skm
from clusterkit.metrics import cluster_scores, cluster_acc, match_labels, ldl_scores, purity

@pytest.mark.parametrize('seed', range(5))
def test_invariant_to_renaming_clusters(seed):
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 5, 300); p = np.where(rng.rand(300) < .6, y, rng.randint(0, 6, 300))
    s = cluster_scores(y, p)
    perm = rng.permutation(6) + 10  # rename, and use ids that are not 0..k-1
    s2 = cluster_scores(y, perm[p])
    for k in s: assert s[k] == pytest.approx(s2[k]), k

def test_agrees_with_sklearn_and_bruteforce():
    from itertools import permutations
    rng = np.random.RandomState(1); y = rng.randint(0, 4, 100); p = rng.randint(0, 4, 100)
    best = max((np.array(q)[p] == y).mean() for q in permutations(range(4)))
    assert cluster_acc(y, p) == pytest.approx(best)
    s = cluster_scores(y, p)
    assert s['nmi'] == pytest.approx(skm.normalized_mutual_info_score(y, p))
    assert s['ari'] == pytest.approx(skm.adjusted_rand_score(y, p))
    m = match_labels(y, p)
    assert s['kappa'] == pytest.approx(skm.cohen_kappa_score(y, m))
    assert s['acc'] == pytest.approx(skm.accuracy_score(y, m))

def test_purity_at_least_accuracy():
    rng = np.random.RandomState(2); y = rng.randint(0, 3, 50); p = rng.randint(0, 7, 50)
    assert purity(y, p) >= cluster_acc(y, p)

def test_silhouette_present_with_X():
    rng = np.random.RandomState(0); X = np.r_[rng.randn(20, 2), rng.randn(20, 2) + 8]; y = np.r_[np.zeros(20), np.ones(20)]
    s = cluster_scores(y, y, X); assert 0.5 < s['silhouette'] <= 1

@pytest.mark.parametrize('args,msg', [
    (([0, 1], [0]), 'y_true has 2 rows but y_pred has 1'),
    (([], []), 'empty'),
    (([[0, 1]], [[0, 1]]), '1-D'),
])
def test_clustering_bad_input(args, msg):
    with pytest.raises(ValueError, match=msg): cluster_scores(*args)

def test_ldl_against_scipy_distances():
    from scipy.spatial import distance
    rng = np.random.RandomState(0); P = rng.dirichlet(np.ones(5), 30); Q = rng.dirichlet(np.ones(5), 30)
    s = ldl_scores(P, Q)
    assert s['canberra'] == pytest.approx(np.mean([distance.canberra(p, q) for p, q in zip(P, Q)]))
    assert s['chebyshev'] == pytest.approx(np.mean([distance.chebyshev(p, q) for p, q in zip(P, Q)]))
    assert s['cosine'] == pytest.approx(np.mean([1 - distance.cosine(p, q) for p, q in zip(P, Q)]))
    from scipy.stats import entropy
    assert s['kl'] == pytest.approx(np.mean([entropy(p, q) for p, q in zip(P, Q)]), rel=1e-6)

@pytest.mark.parametrize('P,Q,msg', [
    ([[.5, .6]], [[.5, .5]], 'sums to 1.1'),
    ([[.5, .5]], [[-.1, 1.1]], 'negative'),
    ([[0., 0.]], [[.5, .5]], 'sums to 0'),
    ([[.5, .5]], [[.5, .5], [.5, .5]], 'shape'),
    (np.empty((0, 3)), np.empty((0, 3)), 'empty'),
])
def test_ldl_bad_input(P, Q, msg):
    with pytest.raises(ValueError, match=msg): ldl_scores(P, Q)
