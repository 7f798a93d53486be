"""Exploratory: SSGCO-EGAEL on entropy-rate superpixels (ERS), the reference's segmenter. (Not part of the method.)

The reference segments the first principal component with ERS (Liu, Tuzel, Ramalingam and Chellappa, CVPR 2011), which
has no Python package; clusterkit uses SLIC. `ers_segments` is a plain port of the algorithm for this probe: the 8-connected
pixel graph of a grey image with weights w_ij = exp(-d_ij^2 / (2 sigma^2)), d_ij the grey-level difference (times sqrt(2)
on diagonal edges), every pixel's unselected weight kept on a self-loop; edges are added greedily (lazy evaluation, valid
since the objective is submodular) while they join two different trees, maximising the entropy rate of the random walk
plus lambda times the balancing term H(Z) - N_A, until K trees remain. lambda = lambda' beta K with beta the ratio of the
largest single-edge gains of the two terms at the start; lambda' = 0.5 and sigma = 5 on a 0-255 image are the values the
ERS authors chose on the Berkeley dataset. The greedy loop runs in Python (one heap operation per edge and re-evaluation):
a probe, not a hot path.

`probe` fits each scene's preset on ERS superpixels of the first principal component (`fit(cube, segments=...)`), with
as many superpixels as the preset's SLIC gives, and reports per seed the method, k-means and spatially constrained Ward on
the same superpixel means, the superpixel oracle and the seconds of segmentation and fit. Ground truth is used only for
scoring. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_ers.py samson 0 1 2 --json out.json`
"""
import heapq, pathlib, sys, time
import numpy as np
from sklearn.cluster import KMeans
from clusterkit.data import load_hsi
from clusterkit.hsi import (HSI_PRESETS, SuperpixelGCNClustering, standardize_pca, slic_superpixels, relabel_segments,
                            superpixel_oracle, labelled_scores, region_adjacency, spatial_ward)

def _h(x): return -x * np.log(x) if x > 0 else 0.0

def ers_segments(img, # `(H, W)` grey image
                 n_segments:int, # K, the number of superpixels (exactly)
                 lam:float=0.5, # lambda', weight of the balancing term
                 sigma:float=5.0, # Gaussian width of the edge weights, on the grey levels of `img`
                ) -> np.ndarray:
    "Entropy-rate superpixels: `(H, W)` ids `0..K-1`, every superpixel 8-connected."
    img = np.asarray(img, dtype=np.float64); H, W = img.shape; n = H * W
    if not 1 <= n_segments <= n: raise ValueError(f"n_segments={n_segments} should be between 1 and H*W={n}.")
    idx = np.arange(n).reshape(H, W)
    pairs = [(idx[:, :-1], idx[:, 1:], 1.), (idx[:-1, :], idx[1:, :], 1.),
             (idx[:-1, :-1], idx[1:, 1:], np.sqrt(2)), (idx[:-1, 1:], idx[1:, :-1], np.sqrt(2))]
    u = np.concatenate([a.ravel() for a, _, _ in pairs]); v = np.concatenate([b.ravel() for _, b, _ in pairs])
    d = np.concatenate([c * np.abs(img.ravel()[a.ravel()] - img.ravel()[b.ravel()]) for a, b, c in pairs])
    w = np.exp(-d ** 2 / (2 * sigma ** 2))
    wi = np.bincount(u, w, n) + np.bincount(v, w, n)                     # total weight of every node (loop included)
    mu = wi / wi.sum()
    s = np.ones(n)                                                        # self-loop probability of every node
    parent = np.arange(n); size = np.ones(n, np.int64)
    def find(x):
        while parent[x] != x: parent[x] = parent[parent[x]]; x = parent[x]
        return x
    def d_entropy(e):
        i, j = u[e], v[e]; qi, qj = w[e] / wi[i], w[e] / wi[j]
        return (mu[i] * (_h(qi) + _h(max(s[i] - qi, 0.)) - _h(s[i])) + mu[j] * (_h(qj) + _h(max(s[j] - qj, 0.)) - _h(s[j])))
    def d_balance(a, b): return _h((a + b) / n) - _h(a / n) - _h(b / n) + 1
    hv = lambda x: -x * np.log(np.where(x > 0, x, 1))                   # _h on arrays
    qu, qv = w / wi[u], w / wi[v]
    dh0 = mu[u] * (hv(qu) + hv(1 - qu)) + mu[v] * (hv(qv) + hv(1 - qv))   # every d_entropy(e) at the start (all s = 1)
    lam_ = lam * n_segments * dh0.max() / abs(d_balance(1, 1))
    heap = [(-(g + lam_ * d_balance(1, 1)), e) for e, g in enumerate(dh0)]; heapq.heapify(heap)
    trees = n
    while trees > n_segments and heap:
        _, e = heapq.heappop(heap)
        ri, rj = find(u[e]), find(v[e])
        if ri == rj: continue                                             # would close a cycle
        g = d_entropy(e) + lam_ * d_balance(size[ri], size[rj])
        if heap and g < -heap[0][0]: heapq.heappush(heap, (-g, e)); continue   # stale: re-queue with its current gain
        i, j = u[e], v[e]
        s[i] -= w[e] / wi[i]; s[j] -= w[e] / wi[j]
        if size[ri] < size[rj]: ri, rj = rj, ri
        parent[rj] = ri; size[ri] += size[rj]; trees -= 1
    roots = parent.copy()
    while (parent[roots] != roots).any(): roots = parent[roots]         # pointer jumping to every tree's root
    return relabel_segments(roots.reshape(H, W))

def first_component_image(cube, n_components=20):
    "The first principal component of the standardised cube, scaled to 0-255 (the reference segments this image)."
    z = standardize_pca(cube, n_components)[..., 0]
    return 255 * (z - z.min()) / (np.ptp(z) + 1e-12)

def probe(dataset, seed):
    scene = load_hsi(dataset); gt = scene.gt
    K = int(len(np.unique(gt[gt > 0]))); p = HSI_PRESETS[dataset]
    score = lambda lab: {k: float(v) for k, v in labelled_scores(gt, lab).items() if k in ('acc', 'nmi')}
    M = int(slic_superpixels(standardize_pca(scene.cube, p['n_components']), p['n_segments'], p['compactness']).max() + 1)
    t0 = time.perf_counter()
    seg = ers_segments(first_component_image(scene.cube, p['n_components']), M)
    seg_s = time.perf_counter() - t0
    est = SuperpixelGCNClustering(K, random_state=seed, **p).fit(scene.cube, segments=seg)
    pipeline_s = time.perf_counter() - t0
    means = np.asarray(est.features_)
    km = KMeans(K, n_init=10, random_state=seed).fit_predict(means)
    ward = spatial_ward(means, region_adjacency(seg), K)
    return dict(dataset=dataset, seed=seed, method=score(est.labels_), kmeans_superpixels=score(km[seg]), ward_superpixels=score(ward[seg]),
                oracle_superpixel_acc=float(superpixel_oracle(seg, gt)), n_superpixels=int(seg.max() + 1),
                segmentation_s=seg_s, pipeline_s=pipeline_s)

if __name__ == '__main__':
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    from hsi_pixel_step import cli
    cli(probe, __doc__)
