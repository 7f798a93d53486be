"Tests of clusterkit.nn.conv: sparse and edge-list paths agree, gradients reach edge weights, equivariance, mini-batches."
import pytest
import torch
from torch_geometric.data import Data

from clusterkit.graph import node_batches, to_csr, to_undirected
from clusterkit.nn.conv import LearnableEdgeGCNConv, gcn_edge_norm


def graph(n, m, seed):
    g = torch.Generator().manual_seed(seed)
    return to_undirected(torch.randint(0, n, (2, m), generator=g), n, remove_self_loops=True)[0]


def csr_order(ei, n):
    "Permutation from edge-list order to the order of `to_csr(ei.flip(0))` (adj_t rows = targets)."
    return torch.argsort(ei[1] * n + ei[0])


@pytest.mark.parametrize('normalize', ['sym', 'rw', None])
@pytest.mark.parametrize('seed', [0, 1])
def test_sparse_and_edge_index_paths_agree(normalize, seed):
    n = 10
    ei = graph(n, 25, seed)
    torch.manual_seed(seed)
    x = torch.randn(n, 4)
    a = LearnableEdgeGCNConv(4, 3, num_edges=ei.size(1), normalize=normalize)
    with torch.no_grad(): a.edge_param.uniform_(-1, 2)
    b = LearnableEdgeGCNConv(4, 3, num_edges=ei.size(1), normalize=normalize)
    b.load_state_dict(a.state_dict())
    perm = csr_order(ei, n)
    with torch.no_grad(): b.edge_param.copy_(a.edge_param[perm])
    adj_t = to_csr(ei.flip(0), num_nodes=n)
    ya, yb = a(x, ei), b(x, adj_t)
    torch.testing.assert_close(ya, yb, rtol=1e-5, atol=1e-6)
    ya.square().sum().backward(); yb.square().sum().backward()
    torch.testing.assert_close(a.edge_param.grad[perm], b.edge_param.grad, rtol=1e-4, atol=1e-6)
    assert a.edge_param.grad.abs().sum() > 0


def test_dense_formula_directed_weights():
    n = 6
    ei = graph(n, 12, 3)
    w = torch.rand(ei.size(1)) + 0.5            # asymmetric weights: aggregation at edge_index[1]
    x = torch.randn(n, 2)
    conv = LearnableEdgeGCNConv(2, 2, normalize='sym', bias=False)
    with torch.no_grad(): conv.lin.weight.copy_(torch.eye(2))
    A = torch.zeros(n, n); A[ei[1], ei[0]] = w; A += torch.eye(n)
    d = A.sum(1)
    torch.testing.assert_close(conv(x, ei, w), (A / d.sqrt()[:, None] / d.sqrt()[None]) @ x, rtol=1e-5, atol=1e-6)


def test_gradcheck_edge_weights():
    n = 5
    ei = graph(n, 8, 4)
    conv = LearnableEdgeGCNConv(3, 2, normalize='sym').double()
    x = torch.randn(n, 3, dtype=torch.float64)
    w = (torch.rand(ei.size(1), dtype=torch.float64) + 0.5).requires_grad_()
    assert torch.autograd.gradcheck(lambda w: conv(x, ei, w), (w,))
    adj_t = to_csr(ei.flip(0), num_nodes=n, dtype=torch.float64)
    wp = w.detach()[csr_order(ei, n)].clone().requires_grad_()
    assert torch.autograd.gradcheck(lambda w: conv(x, adj_t, w), (wp,))


def test_permutation_equivariance():
    n = 12
    ei = graph(n, 30, 5)
    x = torch.randn(n, 4)
    conv = LearnableEdgeGCNConv(4, 3)
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(1)); inv = torch.argsort(perm)
    torch.testing.assert_close(conv(x[perm], inv[ei]), conv(x, ei)[perm], rtol=1e-5, atol=1e-6)


def test_reset_parameters_and_repr():
    torch.manual_seed(0); a = LearnableEdgeGCNConv(4, 3, num_edges=7, init_weight=0.5, edge_activation='sigmoid')
    torch.testing.assert_close(a.edge_weights(), torch.full((7,), 0.5))
    with torch.no_grad(): a.edge_param.add_(1.); a.bias.add_(1.)
    a.reset_parameters()
    torch.testing.assert_close(a.edge_weights(), torch.full((7,), 0.5))
    assert a.bias.abs().sum() == 0
    assert repr(a) == "LearnableEdgeGCNConv(4, 3, num_edges=7, normalize='sym')"
    lazy = LearnableEdgeGCNConv(-1, 3)
    assert lazy(torch.randn(4, 6), torch.tensor([[0, 1], [1, 0]])).shape == (4, 3)


def test_minibatch_training_reduces_loss():
    n = 60
    ei = graph(n, 150, 6)
    data = Data(x=torch.randn(n, 5, generator=torch.Generator().manual_seed(0)), edge_index=ei, num_nodes=n)
    torch.manual_seed(0)
    conv = LearnableEdgeGCNConv(5, 2)
    opt = torch.optim.Adam(conv.parameters(), lr=0.05)
    target = torch.zeros(2)
    def full_loss(): return (conv(data.x, ei) - target).square().mean()
    before = float(full_loss().detach())
    for epoch in range(5):
        for b in node_batches(data, 15, num_hops=1, random_state=epoch):
            loss = (conv(b.x, b.edge_index)[:b.batch_size] - target).square().mean()
            opt.zero_grad(); loss.backward(); opt.step()
    assert float(full_loss().detach()) < before


def test_bad_input():
    conv = LearnableEdgeGCNConv(3, 2, num_edges=4)
    x = torch.randn(5, 3)
    ei = graph(5, 10, 7)
    with pytest.raises(ValueError, match='num_edges=4 but the graph has'): conv(x, ei)
    with pytest.raises(ValueError, match='refers to node 9'): LearnableEdgeGCNConv(3, 2)(x, torch.tensor([[0, 9], [1, 0]]))
    with pytest.raises(ValueError, match='adj_t has shape'): LearnableEdgeGCNConv(3, 2)(x, torch.eye(4).to_sparse_csr())
    with pytest.raises(ValueError, match='NaN'): LearnableEdgeGCNConv(3, 2)(x, ei, torch.full((ei.size(1),), float('nan')))
    with pytest.raises(ValueError, match="edge_activation='relu'"): LearnableEdgeGCNConv(3, 2, edge_activation='relu')
    with pytest.raises(ValueError, match="norm='x'"): gcn_edge_norm(ei[0], ei[1], torch.ones(ei.size(1)), 5, 'x')


@pytest.mark.skipif(not torch.cuda.is_available(), reason='no CUDA device on this machine')
def test_cuda_matches_cpu():
    ei = graph(10, 25, 8); x = torch.randn(10, 4)
    conv = LearnableEdgeGCNConv(4, 3, num_edges=ei.size(1))
    torch.testing.assert_close(conv.cuda()(x.cuda(), ei.cuda()).cpu(), conv.cpu()(x, ei), rtol=1e-4, atol=1e-5)
