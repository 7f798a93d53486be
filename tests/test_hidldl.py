"Integration and property tests for clusterkit.hidldl (fast: tiny synthetic inputs; one real-data smoke test)."
import numpy as np, pytest
from sklearn.base import clone
from clusterkit.core import require_data
from clusterkit.metrics import ldl_scores
from clusterkit.hidldl import (HiddenLabelRecovery, hide_labels, project_simplex, project_proportional, knn_laplacian,
                               hidldl_admm, meanfill_recovery, knn_recovery, incomldl_recovery, MaxEntLDL, bench_hidldl,
                               select_alpha, ALPHA_GRID)

def toy(seed=0, n_per=15, m=5, groups=3):
    r = np.random.RandomState(seed)
    P = r.dirichlet(np.ones(m), groups); y = np.repeat(np.arange(groups), n_per)
    X = np.eye(groups)[y] * 10 + r.rand(len(y), groups) * .01
    return X, P[y]

@pytest.mark.parametrize('omega', [0.4, 0.6, 0.8])
def test_protocol_invariants(omega):
    r = np.random.RandomState(1); D = r.dirichlet(np.full(6, .3), 300)
    D[D < .02] = 0; D /= D.sum(1, keepdims=True)                     # some genuine zeros
    Do, hid = hide_labels(D, omega, 0)
    assert np.allclose(Do.sum(1), 1) and (Do >= 0).all()
    assert not hid.all(1).any()
    assert (Do[hid] == 0).all() and (Do.sum(1) > 0).all()           # every row keeps a non-zero visible entry
    vis = ~hid & (D > 0)
    k = np.where(vis, Do / np.where(D > 0, D, 1), np.nan)
    assert np.nanmax(np.nanmax(k, 1) - np.nanmin(k, 1)) < 1e-12     # proportions kept
    assert omega - 0.1 < hid.mean() < omega + 0.03           # restoring whole rows lowers the rate a little at high omega

def test_simplex_projection_properties():
    r = np.random.RandomState(0); V = r.randn(100, 7) * 3
    P = project_simplex(V)
    assert np.allclose(P.sum(1), 1) and (P >= 0).all()
    assert np.allclose(project_simplex(P), P)                       # idempotent
    B = project_proportional(V, *(lambda Do: (Do, Do > 0))(hide_labels(r.dirichlet(np.ones(7), 100), .5, 0)[0]))
    assert np.allclose(B.sum(1), 1) and (B >= 0).all()

def test_exact_recovery_and_constraint():
    X, D = toy()
    Do, _ = hide_labels(D, .5, 0)
    R = HiddenLabelRecovery(alpha=1e-3, tol=1e-7, max_iter=3000).fit(X, Do).recovered_
    assert np.abs(R - D).max() < 1e-4
    o = Do > 0; k = np.where(o, R / np.where(o, Do, 1), np.nan)
    assert np.nanmax(np.nanmax(k, 1) - np.nanmin(k, 1)) < 1e-8

def test_reproducible_and_clone():
    X, D = toy(2)
    Do, _ = hide_labels(D, .5, 3)
    est = HiddenLabelRecovery(alphas=(1e-2, 1., 1e2), random_state=0)
    a = clone(est).fit(X, Do); b = clone(est).fit(X, Do)
    assert a.alpha_ == b.alpha_ and np.array_equal(a.recovered_, b.recovered_)
    assert est.get_params()['alpha'] == 'auto'

def test_permuting_instances_permutes_recovery():
    X, D = toy(3)
    Do, _ = hide_labels(D, .5, 1)
    perm = np.random.RandomState(0).permutation(len(X))
    # fixed K and budget: the label-free choices draw a random hold-out over rows, which a permutation changes
    R = HiddenLabelRecovery(alpha=1., n_neighbors=None, iter_budget=None, tol=1e-8, max_iter=3000).fit(X, Do).recovered_
    Rp = HiddenLabelRecovery(alpha=1., n_neighbors=None, iter_budget=None, tol=1e-8, max_iter=3000).fit(X[perm], Do[perm]).recovered_
    assert np.abs(Rp - R[perm]).max() < 1e-5
    # a fixed iteration budget is a deterministic function of the rows too
    kw = dict(alpha=4., n_neighbors=None, iter_budget=30)
    R30, Rp30 = (HiddenLabelRecovery(**kw).fit(x, d).recovered_ for x, d in ((X, Do), (X[perm], Do[perm])))
    assert np.abs(Rp30 - R30[perm]).max() < 1e-6

def test_mask_aware_pins_visible_zeros():
    X, D = toy(4, m=6)
    D = D.copy(); D[:, 0] = 0; D /= D.sum(1, keepdims=True)          # label 0 is genuinely absent everywhere
    Do, hid = hide_labels(D, .5, 0)
    R = HiddenLabelRecovery(alpha=1e-2).fit(X, Do, hidden_mask=hid).recovered_
    assert np.allclose(R[~hid[:, 0], 0], 0)                         # visible zeros stay zero when the mask is known

def test_dstep_sgd_runs_and_exact_is_better():
    X, D = toy(5)
    Do, _ = hide_labels(D, .5, 0)
    G = knn_laplacian(X, D.shape[1])
    Re, _, _ = hidldl_admm(G, Do, Do > 0, 1e-2, max_iter=100)
    Rs, _, _ = hidldl_admm(G, Do, Do > 0, 1e-2, max_iter=100, dstep='sgd')
    assert np.allclose(Rs.sum(1), 1)
    assert ldl_scores(D, Re)['canberra'] <= ldl_scores(D, Rs)['canberra'] + 1e-9

def test_baselines_are_distributions():
    X, D = toy(6)
    Do, _ = hide_labels(D, .5, 0)
    for R in (meanfill_recovery(Do), knn_recovery(X, Do, 5), incomldl_recovery(Do)):
        assert R.shape == D.shape and np.allclose(R.sum(1), 1) and (R >= -1e-12).all()

def test_maxent_predictor():
    r = np.random.RandomState(0); X = r.randn(200, 3); Z = X @ r.randn(3, 4)
    D = np.exp(Z) / np.exp(Z).sum(1, keepdims=True)
    assert ldl_scores(D, MaxEntLDL(l2=0).fit(X, D).predict(X))['kl'] < 1e-3

@pytest.mark.parametrize('bad, msg', [
    (lambda X, D: (X[:5], D), 'X has 5 rows but D_observed has 45'),
    (lambda X, D: (X, D * 2), 'should sum to 1'),
    (lambda X, D: (X, np.where(np.arange(D.shape[1]) < 2, -D, 3 * D)), 'negative'),
    (lambda X, D: (X, np.vstack([np.zeros((1, D.shape[1])), D[1:]])), 'all-zero row'),
])
def test_bad_input(bad, msg):
    X, D = toy()
    with pytest.raises(ValueError, match=msg): HiddenLabelRecovery().fit(*bad(X, D))

def test_bad_omega_and_k():
    X, D = toy()
    with pytest.raises(ValueError, match=r'omega=1.2 should be in \(0, 1\)'): hide_labels(D, 1.2)
    with pytest.raises(ValueError, match=r'omega=0.0 should be in \(0, 1\)'): hide_labels(D, 0.)
    with pytest.raises(ValueError, match='n_neighbors=45 should be in'): HiddenLabelRecovery(n_neighbors=45).fit(X, D)
    with pytest.raises(ValueError, match='n_samples=3'): HiddenLabelRecovery().fit(X[:3], D[:3])

def test_bench_smoke_on_real_data():
    if not require_data('ldl/SJAFFE.mat'): pytest.skip('SJAFFE not available')
    r = bench_hidldl('sjaffe', 0, grid='coarse', max_iter='30')
    keys = r['metrics']
    for p in ('', 'oracle_', 'oracle_mask_', 'observed_', 'meanfill_', 'knn_', 'incomldl_'):
        for k in ('chebyshev', 'clark', 'canberra', 'kl', 'cosine', 'intersection'): assert p + k in keys
    assert keys['canberra'] < keys['observed_canberra']
