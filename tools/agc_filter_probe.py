"""Exploratory: does another low-pass filter raise the k-means ceiling of the AGC-style input? (Not a clusterkit option.)

AGC filters with G = (I + A_sym) / 2, i.e. I - L_sym / 2 (A_sym with self-loops). AGE (Cui et al., KDD 2020) uses
I - (2/3) L_sym = (I + 2 A_sym) / 3, a filter that passes less of the high frequencies per step. This probe feeds both
the input clusterkit's AGC and `features='agc'` use (truncated SVD of X to 50 dimensions, unit rows), applies the
filter k times, scales rows to unit length and runs k-means (10 inits), for SVD/k-means seeds 0-4. Ground truth only
scores the clusterings. Usage:
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/agc_filter_probe.py cora cite --json out.json`
"""
import json, pathlib, sys
import numpy as np
import torch
from sklearn.cluster import KMeans
from clusterkit.agc import agc_features
from clusterkit.data import load_graph
from clusterkit.graph import normalize_adj, to_csr, to_undirected
from clusterkit.metrics import cluster_scores

ORDERS, SEEDS, FILTERS = (2, 3, 4, 6, 8, 10, 12), range(5), {'agc (I+A)/2': .5, 'age (I+2A)/3': 1 / 3}

def probe(name):
    d = load_graph(name); X, y = d.x.numpy(), d.y.numpy(); n, K = len(y), int(y.max()) + 1
    ei, w = normalize_adj(to_undirected(d.edge_index, n)[0], n, norm='sym', add_self_loops=True)
    A = to_csr(ei, w.float(), n)
    out = {}
    for fname, a in FILTERS.items():
        res = {k: [] for k in ORDERS}
        for seed in SEEDS:
            H = torch.from_numpy(agc_features(X, 50, seed)).float()
            for k in range(1, max(ORDERS) + 1):
                H = a * H + (1 - a) * (A @ H)
                if k in ORDERS:
                    Hn = H.numpy() / np.maximum(np.linalg.norm(H.numpy(), axis=1, keepdims=True), 1e-12)
                    s = cluster_scores(y, KMeans(K, n_init=10, random_state=seed).fit_predict(Hn))
                    res[k].append([float(s['acc']), float(s['nmi'])])
        out[fname] = {k: dict(acc=float(np.mean([r[0] for r in v])), nmi=float(np.mean([r[1] for r in v])), per_seed=v)
                      for k, v in res.items()}
        print(name, fname, ' '.join(f"{k}: {v['acc']:.3f}/{v['nmi']:.3f}" for k, v in out[fname].items()), flush=True)
    return out

if __name__ == '__main__':
    args = sys.argv[1:]; js = None
    if '--json' in args: i = args.index('--json'); js = args[i + 1]; args = args[:i] + args[i + 2:]
    torch.set_num_threads(1)
    rec = dict(protocol='SVD to 50 dims + unit rows, k filter steps, unit rows, k-means 10 inits; mean over seeds 0-4; '
                        'ground truth only scores', orders=list(ORDERS), seeds=list(SEEDS),
               results={name: probe(name) for name in args})
    if js: pathlib.Path(js).write_text(json.dumps(rec, indent=1))
