"""Exploratory: would a pixel-level last step lift the superpixel cap of SSGCO-EGAEL? (Not part of the method.)

SSGCO-EGAEL gives every pixel its superpixel's label, so its ACC can never pass the superpixel oracle (0.915 on
Jasper Ridge with the preset's 1000 SLIC segments). This script fits the preset of a scene with `run_hsi_gcn` and
scores two label-free pixel-level readouts of the fitted model against the superpixel labelling:

- `pca_step`: one assignment step in the PCA space. Centroids are the mean PCA vectors of the pixels in each of the
  method's clusters; every pixel goes to the nearest centroid (Euclidean). Iterating this step is Lloyd's algorithm
  and ends at k-means on the pixels, so the script also reports where the iteration converges.
- `encoder_step`: the same step in the target encoder's space. A pixel's embedding is the encoder's output for its
  superpixel with the pixel's PCA vector standing in for the superpixel mean in the self term of every layer
  (neighbours keep their means): `A_ii (g(x_p) - g(x_i))` is added to row i of `A g(X)` before bias, BatchNorm and ReLU.
  Centroids are the pixel-weighted means of the superpixel embeddings per cluster.

Ground truth is used only for scoring. Usage (one seed per process, one thread):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_pixel_step.py jasper_ridge 0 1 --json out.json`
"""
import argparse, json, sys
import numpy as np, torch, torch.nn.functional as F
from clusterkit.hsi import run_hsi_gcn, labelled_scores
from clusterkit.graph import normalize_adj, to_csr

def centroids(E, lab, K, w):
    "Weighted cluster means `(K, d)` of the rows of E."
    C = torch.zeros(K, E.size(1), dtype=E.dtype).index_add_(0, lab, E * w[:, None])
    return C / torch.bincount(lab, weights=w, minlength=K).clamp_min(1e-12)[:, None].to(E.dtype)

@torch.no_grad()
def encoder_pixel_embeddings(est):
    "Target-encoder embeddings of the superpixels `(M, D')` and of every pixel `(H*W, D')` (self-term substitution)."
    seg = torch.as_tensor(est.segments_.reshape(-1)).long(); M = int(seg.max()) + 1
    enc = est.model_.target_encoder; was = enc.training; enc.eval()
    ei, ew = normalize_adj(est.edge_index_, M, est.edge_weight_)
    loop = ei[0] == ei[1]; self_w = torch.zeros(M, dtype=ew.dtype).index_put_((ei[0][loop],), ew[loop])
    A = to_csr(ei, ew, M, dtype=ew.dtype)
    hs = torch.as_tensor(est.features_).unsqueeze(1)
    hp = torch.as_tensor(est.pca_.reshape(seg.numel(), -1)).unsqueeze(1)
    for layer in enc.layers:
        gs = layer.lin(F.relu(layer.bn_spectral(layer.conv(hs))).flatten(1))
        gp = layer.lin(F.relu(layer.bn_spectral(layer.conv(hp))).flatten(1))
        agg = A @ gs; b = layer.bias if layer.bias is not None else 0.
        out_s, out_p = agg + b, agg[seg] + self_w[seg, None] * (gp - gs[seg]) + b
        hs = F.relu(layer.bn_graph(out_s)).view(-1, layer.out_channels, layer.out_length)
        hp = F.relu(layer.bn_graph(out_p)).view(-1, layer.out_channels, layer.out_length)
    enc.train(was)
    return hs.flatten(1), hp.flatten(1)

def probe(dataset, seed):
    rec, est, scene, _ = run_hsi_gcn(dataset, seed)
    gt = scene.gt; H, W = gt.shape; K = est.n_clusters
    score = lambda lab: {k: float(v) for k, v in labelled_scores(gt, np.asarray(lab).reshape(H, W)).items() if k in ('acc', 'nmi')}
    seg = torch.as_tensor(est.segments_.reshape(-1)).long(); lab_sp = torch.as_tensor(est.superpixel_labels_).long()
    out = dict(dataset=dataset, seed=seed, method=score(est.labels_),
               kmeans_pixels=dict(acc=rec['metrics']['kmeans_pixels_acc'], nmi=rec['metrics']['kmeans_pixels_nmi']),
               oracle_superpixel_acc=rec['metrics']['oracle_superpixel_acc'])
    Z = torch.as_tensor(est.pca_.reshape(H * W, -1)).double(); lab = lab_sp[seg]; ones = torch.ones(H * W, dtype=Z.dtype)
    lab = torch.cdist(Z, centroids(Z, lab, K, ones)).argmin(1); out['pca_step'] = score(lab)
    for it in range(2, 101):
        new = torch.cdist(Z, centroids(Z, lab, K, ones)).argmin(1)
        if torch.equal(new, lab): break
        lab = new
    else:
        it = 101; print(f'{dataset} seed {seed}: the PCA-space steps did not converge in 100 steps', file=sys.stderr)
    out['pca_lloyd_converged'] = dict(score(lab), iterations=it - 1)
    hs, hp = encoder_pixel_embeddings(est)
    sizes = torch.bincount(seg, minlength=len(lab_sp)).to(hs.dtype)
    out['encoder_step'] = score(torch.cdist(hp, centroids(hs, lab_sp, K, sizes)).argmin(1))
    return out

def cli(probe, doc, options=()):
    "Command line shared by the exploratory HSI readout scripts: `dataset seed... [--json out.json]`, one printed line per seed; `options`: `(flag, type, default)` passed to `probe` as keywords."
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument('dataset'); ap.add_argument('seeds', type=int, nargs='+'); ap.add_argument('--json')
    for flag, typ, default in options: ap.add_argument(flag, type=typ, default=default)
    a = ap.parse_args()
    kw = {flag.lstrip('-').replace('-', '_'): getattr(a, flag.lstrip('-').replace('-', '_')) for flag, _, _ in options}
    rows = []
    for s in a.seeds:
        r = probe(a.dataset, s, **kw); rows.append(r)
        print(f"{a.dataset} seed {s}: " + ' | '.join(f"{k} {v['acc']:.4f}/{v['nmi']:.4f}" for k, v in r.items() if isinstance(v, dict)), flush=True)
    if a.json: json.dump(rows, open(a.json, 'w'), indent=1)

if __name__ == '__main__': cli(probe, __doc__)
