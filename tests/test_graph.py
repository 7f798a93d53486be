"Property tests of clusterkit.graph: agreement with dense formulas, permutation equivariance, pruning bounds, kNN exactness, mini-batches, bad input."
import numpy as np
import pytest
import torch
from torch_geometric.data import Data

from clusterkit.graph import (coalesce, density, influence_operator, knn_graph, node_batches, normalize_adj,
                              normalized_adjacency, propagate, to_csr, to_undirected, topk_per_row)


def random_graph(n, m, seed, weighted=False):
    g = torch.Generator().manual_seed(seed)
    ei = torch.randint(0, n, (2, m), generator=g)
    w = torch.rand(m, generator=g) + 0.1 if weighted else None
    return to_undirected(ei, n, w, remove_self_loops=True)


def dense(ei, w, n):
    A = torch.zeros(n, n, dtype=torch.float64)
    A.index_put_((ei[0], ei[1]), torch.ones(ei.size(1), dtype=torch.float64) if w is None else w.double(), accumulate=True)
    return A


@pytest.mark.parametrize('norm', ['sym', 'rw'])
@pytest.mark.parametrize('seed', [0, 1, 2])
def test_normalize_matches_dense(norm, seed):
    n = 12
    ei, w = random_graph(n, 20, seed, weighted=True)
    A = dense(ei, w, n) + torch.eye(n, dtype=torch.float64)
    d = A.sum(1)
    ref = A / d.sqrt()[:, None] / d.sqrt()[None] if norm == 'sym' else A / d[:, None]
    torch.testing.assert_close(dense(*normalize_adj(ei, n, w, norm=norm), n), ref, rtol=1e-5, atol=1e-6)
    X = torch.randn(n, 4, dtype=torch.float64)
    Ah = normalized_adjacency(ei, n, w, norm=norm).to(torch.float64)
    torch.testing.assert_close(propagate(Ah, X, 3), torch.linalg.matrix_power(ref, 3) @ X, rtol=1e-5, atol=1e-6)


def test_propagation_is_permutation_equivariant():
    n = 15
    ei, _ = random_graph(n, 30, 3)
    X = torch.randn(n, 5)
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(0))
    inv = torch.argsort(perm)                       # new id of old node i is inv[i]
    Y = propagate(normalized_adjacency(ei, n), X, 2)
    Yp = propagate(normalized_adjacency(inv[ei], n), X[perm], 2)
    torch.testing.assert_close(Yp, Y[perm], rtol=1e-5, atol=1e-6)


def test_isolated_nodes_and_self_loops():
    ei = torch.tensor([[0, 1, 2], [1, 0, 2]])      # node 2 has a self-loop, node 3 is isolated
    A = normalized_adjacency(ei, 4, norm='rw').to_dense()
    torch.testing.assert_close(A.sum(1), torch.ones(4))
    assert A[2, 2] == 1 and A[3, 3] == 1
    B = normalized_adjacency(ei, 4, norm='sym', add_self_loops=False).to_dense()
    assert torch.isfinite(B).all() and B[3].abs().sum() == 0


@pytest.mark.parametrize('mode', ['power', 'sum'])
@pytest.mark.parametrize('norm', ['rw', 'sym'])
def test_influence_exact_matches_dense(mode, norm):
    n = 20
    ei, _ = random_graph(n, 30, 5)
    P = dense(*normalize_adj(ei, n, norm=norm), n)
    ref = torch.linalg.matrix_power(P, 3) if mode == 'power' else P + P @ P + P @ P @ P
    W = dense(*influence_operator(ei, n, r=3, mode=mode, norm=norm, block_size=7), n)
    torch.testing.assert_close(W, ref, rtol=1e-4, atol=1e-6)


def test_influence_topk_bounds_rows_and_is_exact_when_large():
    n = 40
    ei, _ = random_graph(n, 80, 6)
    iei, iw = influence_operator(ei, n, r=3, topk=5)
    assert torch.bincount(iei[0], minlength=n).max() <= 5
    assert (iw > 0).all() and density(iei, n) <= 5 / n
    exact = dense(*influence_operator(ei, n, r=3), n)
    torch.testing.assert_close(dense(*influence_operator(ei, n, r=3, topk=n), n), exact, rtol=1e-5, atol=1e-7)
    # rows of the pruned rw operator never exceed the exact row mass
    assert (dense(iei, iw, n).sum(1) <= exact.sum(1) + 1e-5).all()


@pytest.mark.parametrize('k', [1, 3, 7])
def test_topk_per_row_matches_sort(k):
    g = torch.Generator().manual_seed(k)
    M = torch.rand(30, 50, generator=g) * (torch.rand(30, 50, generator=g) < 0.3)
    M[4] = torch.rand(50, generator=g) + 1                 # a long row (separate path)
    out = topk_per_row(M.to_sparse_csr(), k, budget=64).to_dense()
    for i in range(30):
        nz = M[i][M[i] != 0]
        kept = out[i][out[i] != 0]
        assert len(kept) == min(k, len(nz))
        torch.testing.assert_close(torch.sort(kept).values, torch.sort(nz).values[-len(kept):] if len(kept) else kept)


def test_to_csr_and_coalesce():
    ei = torch.tensor([[2, 0, 2, 1], [0, 1, 0, 2]])
    A = to_csr(ei, torch.tensor([1., 2., 3., 4.]), 3)
    torch.testing.assert_close(A.to_dense(), torch.tensor([[0., 2, 0], [0, 0, 4], [4, 0, 0]]))
    c, w = coalesce(ei, 3, torch.tensor([1., 2., 3., 4.]))
    assert c.size(1) == 3 and float(w.sum()) == 10.


def test_knn_flat_matches_sklearn():
    from sklearn.neighbors import NearestNeighbors
    X = np.random.default_rng(0).normal(size=(60, 5)).astype(np.float32)
    ei, _ = knn_graph(X, 4, metric='l2', symmetric=False)
    _, I = NearestNeighbors(n_neighbors=5).fit(X).kneighbors(X)
    ref = {(i, j) for i in range(60) for j in I[i, 1:]}
    assert set(map(tuple, ei.T.tolist())) == ref


def test_knn_duplicates_and_symmetry():
    X = np.repeat(np.random.default_rng(1).normal(size=(10, 3)), 3, axis=0).astype(np.float32)  # each point 3 times
    ei, w = knn_graph(X, 4, metric='cosine', weights='heat')
    assert (ei[0] != ei[1]).all()
    assert torch.equal(to_undirected(ei, 30)[0], ei)
    assert (torch.bincount(ei[0], minlength=30) >= 4).all()
    assert torch.isfinite(w).all() and (w > 0).all() and (w <= 1).all()


@pytest.mark.parametrize('method', ['ivf', 'hnsw'])
def test_knn_approximate_recall(method):
    rng = np.random.default_rng(2)
    X = np.concatenate([rng.normal(c, 1, (300, 8)) for c in (0, 6)]).astype(np.float32)
    exact = set(map(tuple, knn_graph(X, 5, metric='l2', symmetric=False)[0].T.tolist()))
    approx = set(map(tuple, knn_graph(X, 5, metric='l2', method=method, symmetric=False)[0].T.tolist()))
    assert len(exact & approx) / len(exact) > 0.9


def test_node_batches_cover_and_slice():
    n = 50
    ei, w = random_graph(n, 120, 7, weighted=True)
    data = Data(x=torch.randn(n, 3), y=torch.arange(n), edge_index=ei, edge_weight=w, num_nodes=n)
    edges = {tuple(e) for e in ei.T.tolist()}
    seen = []
    for b in node_batches(data, 8, num_hops=1, random_state=torch.Generator().manual_seed(0)):
        seen.append(b.n_id[:b.batch_size])
        assert torch.equal(b.y, b.n_id) and torch.equal(b.x, data.x[b.n_id])
        g = b.n_id[b.edge_index]
        assert all(tuple(e) in edges for e in g.T.tolist())
        torch.testing.assert_close(b.edge_weight, w[b.e_id])
        assert torch.equal(ei[:, b.e_id], g)
        # induced: every graph edge between two batch nodes is present
        inside = torch.zeros(n, dtype=torch.bool); inside[b.n_id] = True
        assert int((inside[ei[0]] & inside[ei[1]]).sum()) == b.edge_index.size(1)
    assert torch.equal(torch.sort(torch.cat(seen)).values, torch.arange(n))
    capped = list(node_batches(data, 5, num_hops=2, max_nodes=12, random_state=0))
    assert all(b.num_nodes <= 12 for b in capped)
    a = [b.n_id for b in node_batches(data, 8, random_state=3)]
    b_ = [b.n_id for b in node_batches(data, 8, random_state=3)]
    assert all(torch.equal(u, v) for u, v in zip(a, b_))


@pytest.mark.parametrize('call, msg', [
    (lambda: normalize_adj(torch.tensor([[0, 5]]).T, 3), 'refers to node 5'),
    (lambda: normalize_adj(torch.tensor([[0, 1], [1, 0]]), 2, torch.tensor([1., float('nan')])), 'NaN'),
    (lambda: normalize_adj(torch.tensor([[0, 1], [1, 0]]), 2, torch.tensor([1., -2.])), 'edge_weight[1]=-2'),
    (lambda: normalize_adj(torch.zeros(3, 2, dtype=torch.long), 2), 'shape (2, E)'),
    (lambda: normalize_adj(torch.zeros(2, 2), 2), 'dtype torch.float32'),
    (lambda: to_csr(torch.tensor([[0, -1], [1, 0]]), None, 2), 'node -1'),
    (lambda: knn_graph(np.zeros((5, 2)), 5), 'k=5 should be < n_samples=5'),
    (lambda: knn_graph(np.zeros((5, 2)), 2, method='lsh'), "method='lsh'"),
    (lambda: influence_operator(torch.tensor([[0, 1], [1, 0]]), 2, r=2, topk=-1), 'topk=-1'),
    (lambda: propagate(torch.eye(3).to_sparse_csr(), torch.randn(4, 2)), 'X has 4 rows'),
])
def test_bad_input(call, msg):
    with pytest.raises(ValueError, match=None) as e: call()
    assert msg in str(e.value)


@pytest.mark.skipif(not torch.cuda.is_available(), reason='no CUDA device on this machine')
def test_cuda_matches_cpu():
    ei, _ = random_graph(30, 60, 8)
    X = torch.randn(30, 4)
    A = normalized_adjacency(ei, 30)
    Ac = normalized_adjacency(ei.cuda(), 30)
    torch.testing.assert_close(propagate(Ac, X.cuda(), 2).cpu(), propagate(A, X, 2), rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(dense(*[t.cpu() for t in influence_operator(ei.cuda(), 30, r=3)], 30),
                               dense(*influence_operator(ei, 30, r=3), 30), rtol=1e-4, atol=1e-6)
