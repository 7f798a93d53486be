"""Exploratory: a pixel-level last step restricted to neighbouring clusters. (Not part of the method.)

`tools/hsi_pixel_step.py` showed that one assignment step of every pixel to the nearest cluster centroid in the PCA
space lifts Jasper Ridge above k-means on the pixels but costs Samson and Salinas-A 4.8 and 1.6 ACC points: the step
lets any pixel join any cluster, so it pulls the whole labelling towards pixel k-means. A superpixel's errors are
local, though: a superpixel that straddles a class boundary holds pixels of a neighbouring region. This script
restricts the step accordingly. A pixel may keep its superpixel's cluster or join the cluster of a superpixel adjacent
to its own (region adjacency, 4-connectivity), whichever centroid is nearest (Euclidean, PCA space; centroids are the
mean PCA vectors of the method's clusters). Reported per seed:

- `method`: SSGCO-EGAEL, the preset fitted by `run_hsi_gcn` (protocol `final`);
- `local_step`: the restricted step; `pca_step`: the unrestricted one, for comparison;
- `kmeans_pixels`: the same-run baseline; `moved`: the fraction of pixels whose label the restricted step changed.

Ground truth is used only for scoring. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_local_step.py jasper_ridge 0 1 --json out.json`
"""
import pathlib, sys
import numpy as np, torch
from clusterkit.hsi import run_hsi_gcn, labelled_scores, region_adjacency

def local_step(Z, seg, lab_sp, K, edge_index):
    "One restricted assignment step: `(N,)` pixel labels. Z `(N, d)` pixels, seg `(N,)` superpixel ids, lab_sp `(M,)`."
    M = len(lab_sp)
    C = torch.zeros(K, Z.size(1), dtype=Z.dtype).index_add_(0, lab_sp[seg], Z)
    C = C / torch.bincount(lab_sp[seg], minlength=K).clamp_min(1)[:, None].to(Z.dtype)
    allowed = torch.zeros(M, K, dtype=torch.bool)
    allowed[torch.arange(M), lab_sp] = True                            # a superpixel's own cluster
    allowed[edge_index[0], lab_sp[edge_index[1]]] = True               # and those of its neighbours
    allowed[edge_index[1], lab_sp[edge_index[0]]] = True
    d = torch.cdist(Z, C).masked_fill(~allowed[seg], float('inf'))
    return d.argmin(1)

def probe(dataset, seed):
    rec, est, scene, _ = run_hsi_gcn(dataset, seed)
    gt = scene.gt; H, W = gt.shape; K = est.n_clusters
    score = lambda lab: {k: float(v) for k, v in labelled_scores(gt, np.asarray(lab).reshape(H, W)).items() if k in ('acc', 'nmi')}
    seg = torch.as_tensor(est.segments_.reshape(-1)).long(); lab_sp = torch.as_tensor(est.superpixel_labels_).long()
    Z = torch.as_tensor(est.pca_.reshape(H * W, -1)).double()
    ei = torch.as_tensor(np.asarray(region_adjacency(est.segments_))).long()
    loc = local_step(Z, seg, lab_sp, K, ei)
    C = torch.zeros(K, Z.size(1), dtype=Z.dtype).index_add_(0, lab_sp[seg], Z) / torch.bincount(lab_sp[seg], minlength=K).clamp_min(1)[:, None].to(Z.dtype)
    return dict(dataset=dataset, seed=seed, method=score(est.labels_), local_step=score(loc),
                pca_step=score(torch.cdist(Z, C).argmin(1)),
                kmeans_pixels=dict(acc=rec['metrics']['kmeans_pixels_acc'], nmi=rec['metrics']['kmeans_pixels_nmi']),
                moved=float((loc != lab_sp[seg]).double().mean()), seconds=rec['metrics'].get('seconds'))

if __name__ == '__main__':
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    from hsi_pixel_step import cli
    cli(probe, __doc__)
