"""Tests for clusterkit.core conventions."""
import numpy as np, pytest, torch
from clusterkit.core import check_edge_index, check_finite, check_n_clusters, get_device, seed_everything, require_data, set_data_dir

def test_seed_reproducible():
    seed_everything(5); a = (np.random.rand(3), torch.rand(3))
    seed_everything(5); b = (np.random.rand(3), torch.rand(3))
    assert np.allclose(a[0], b[0]) and torch.equal(a[1], b[1])

def test_edge_index_messages():
    with pytest.raises(ValueError, match='refers to node 9 but X has 5 rows'): check_edge_index([[0, 9], [1, 2]], 5)
    with pytest.raises(ValueError, match='node ids should be >= 0'): check_edge_index([[0, -1], [1, 2]], 5)

def test_require_data(monkeypatch, tmp_path):
    set_data_dir(tmp_path); (tmp_path / 'a.txt').write_text('x')
    monkeypatch.delenv('CLUSTERKIT_REQUIRE_DATA', raising=False)
    assert require_data('a.txt') and not require_data('b.txt')
    monkeypatch.setenv('CLUSTERKIT_REQUIRE_DATA', '1')
    with pytest.raises(FileNotFoundError, match='b.txt'): require_data('b.txt')
    set_data_dir(None)

def test_cuda_request_without_cuda():
    if torch.cuda.is_available(): pytest.skip('this machine has CUDA')
    with pytest.raises(ValueError, match="device='cuda'"): get_device('cuda')
