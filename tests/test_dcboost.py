"Integration and property tests of clusterkit.dcboost (fast: tiny inputs)."
import warnings
import numpy as np, pytest, torch, torch.nn as nn
from clusterkit.dcboost import (DCBoost, ContrastiveClustering, knn_consistency_filter, class_prototypes, pos_loss,
                                neg_loss, ins_loss, bench_dcboost, FeatureAugment)
from clusterkit.core import BENCHES, DEMOS, require_data
from clusterkit.metrics import cluster_acc

def _blobs(n=90, d=10, k=3, seed=1):
    g = torch.Generator().manual_seed(seed); y = torch.arange(n) % k
    return torch.randn(k, d, generator=g)[y] * 1.5 + torch.randn(n, d, generator=g), y.numpy()

def _enc(d=10, seed=0):
    torch.manual_seed(seed); return nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Linear(32, 8))

def test_registered():
    assert 'dcboost' in BENCHES and 'DCBoost' in DEMOS
    assert set(BENCHES['dcboost'].datasets) >= {'mnist5k', 'imagenet50_moco', 'acm'}

def test_reproducible_and_encoder_untouched():
    X, y = _blobs(); enc = _enc(); before = [p.clone() for p in enc.parameters()]
    a = DCBoost(enc, 3, epochs=2, batch_size=45, random_state=3).fit(X)
    b = DCBoost(enc, 3, epochs=2, batch_size=45, random_state=3).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_); np.testing.assert_allclose(a.embedding_, b.embedding_)
    assert all(torch.equal(p, q) for p, q in zip(before, enc.parameters()))

def test_fit_predict_and_history():
    X, y = _blobs(); db = DCBoost(_enc(), 3, epochs=3, batch_size=45, random_state=0)
    lab = db.fit(X, y).labels_; np.testing.assert_array_equal(DCBoost(_enc(), 3, epochs=3, batch_size=45, random_state=0).fit_predict(X), lab)
    assert lab.shape == (90,) and len(db.history_) == 3 and db.n_iter_ == 3
    for h in db.history_:
        assert 0 <= h['selected'] <= 1 and 0 <= h['loss_pos'] <= 2 and 0 <= h['loss_neg'] <= 1
        assert np.isnan(h['precision']) or 0 <= h['precision'] <= 1
    assert cluster_acc(y, lab) > 0.7
    np.testing.assert_array_equal(db.predict(X).shape, (90,))

def test_labels_do_not_change_training():
    "y is for evaluation only: passing it leaves the result unchanged."
    X, y = _blobs()
    a = DCBoost(_enc(), 3, epochs=2, batch_size=45, random_state=0).fit(X)
    b = DCBoost(_enc(), 3, epochs=2, batch_size=45, random_state=0).fit(X, y)
    np.testing.assert_array_equal(a.labels_, b.labels_)

def test_relabel_permutation_of_filter():
    "Renaming the pseudo-labels does not change which samples are reliable."
    X, y = _blobs(); pl = torch.as_tensor(y).clone(); pl[::7] = (pl[::7] + 1) % 3
    m1, _ = knn_consistency_filter(X, pl); perm = torch.tensor([2, 0, 1])
    m2, _ = knn_consistency_filter(X, perm[pl]); assert torch.equal(m1, m2)

def test_filter_invariant_to_sample_order():
    X, y = _blobs(); pl = torch.as_tensor(y); p = torch.randperm(90)
    m1, _ = knn_consistency_filter(X, pl); m2, _ = knn_consistency_filter(X[p], pl[p])
    assert torch.equal(m1[p], m2)

def test_loss_bounds_random():
    g = torch.Generator().manual_seed(0)
    for _ in range(5):
        z = torch.randn(40, 6, generator=g); lab = torch.randint(0, 4, (40,), generator=g); mask = torch.rand(40, generator=g) < 0.5
        P, present = class_prototypes(z, lab, mask, 4)
        assert 0 <= pos_loss(z, lab, mask, P) <= 2 and 0 <= neg_loss(P, present) <= 1
        assert 0 <= ins_loss(z, z.flip(0)) <= np.log(79) + 4

@pytest.mark.parametrize('bad, msg', [
    (dict(encoder=nn.Identity(), X=torch.rand(10, 1, 4, 4)), 'encoder output should be 2-D'),
    (dict(n_clusters=30, X=torch.rand(10, 10)), 'n_samples=10 should be >= n_clusters=30'),
    (dict(k=50, batch_size=20), 'batch_size=20 should be > k=50'),
    (dict(epochs=-1), 'epochs=-1'),
    (dict(batch_size=1), 'batch_size=1'),
    (dict(lr=0.), 'lr=0.0'),
    (dict(n_clusters=None), 'n_clusters=None'),
])
def test_bad_input(bad, msg):
    X, _ = _blobs(); kw = dict(encoder=_enc(), n_clusters=3, epochs=1, batch_size=45); kw.update(bad); X = kw.pop('X', X)
    with pytest.raises(ValueError, match=None) as e: DCBoost(**kw).fit(X)
    assert msg in str(e.value)

def test_nan_input_and_embedding():
    X, _ = _blobs(); Xn = X.clone(); Xn[3, 2] = float('nan')
    with pytest.raises(ValueError, match='X contains 1 NaN'): DCBoost(_enc(), 3).fit(Xn)
    class NaNEnc(nn.Module):
        def __init__(self): super().__init__(); self.lin = nn.Linear(10, 4)
        def forward(self, x): return self.lin(x) * float('nan')
    with pytest.raises(ValueError, match='embedding'): DCBoost(NaNEnc(), 3).fit(X)

def test_empty_selection_is_recorded():
    X, _ = _blobs()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        db = DCBoost(_enc(), 6, epochs=1, batch_size=6, k='full', random_state=0).fit(X[:6])
    assert db.history_[0]['skipped_batches'] == 1 and db.history_[0]['n_selected'] == 0
    assert np.isfinite(db.history_[0]['loss_ins'])

def test_base_model_and_head():
    X, y = _blobs()
    cc = ContrastiveClustering(nn.Linear(10, 16), 3, feat_dim=16, proj_dim=8, epochs=2, batch_size=45, random_state=0).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)   # an untrained random head may collapse: warned, not an error
        db = DCBoost(cc.encoder_, head=nn.Linear(8, 3), epochs=1, batch_size=45, random_state=0).fit(X)
    assert db.n_clusters_ == 3 and db.labels_.shape == (90,)

def test_bench_digits_fast_options():
    r = bench_dcboost('digits', 0, base_epochs='2', epochs='1')
    m, t = r['metrics'], r['timings']
    for k in ('acc', 'nmi', 'ari', 'silhouette', 'base_acc', 'base_nmi', 'base_ari', 'base_silhouette'): assert 0 <= abs(m[k]) <= 1
    assert t['base_s'] > 0 and t['boost_s'] > 0 and len(r['extra']['history']) == 1

def test_bench_unknown_dataset():
    with pytest.raises(ValueError, match='should be one of'): bench_dcboost('nope', 0)
