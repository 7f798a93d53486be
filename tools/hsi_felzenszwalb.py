"""Exploratory: SSGCO-EGAEL on graph-based (Felzenszwalb) superpixels instead of SLIC. (Not part of the method.)

The reference segments with ERS, a graph-based method with no Python package. Felzenszwalb-Huttenlocher (scikit-image)
is the nearest graph-based segmenter at hand. On the first three principal components (scaled to [0, 1] by their
largest range, `scale=0.05`, `sigma=0.5`, `min_size=4`) it gives about as many superpixels as each preset's SLIC
(754 / 990 / 994 against 732 / 1003 / 1032 on Salinas-A, Samson and Jasper Ridge) with a higher superpixel oracle
on Samson and Jasper Ridge, the two scenes that SLIC caps. This script fits each scene's preset on those superpixels
(`fit(cube, segments=...)`) and reports, per seed:

- `method`: SSGCO-EGAEL on the Felzenszwalb superpixels (protocol `final`, no labels used);
- `kmeans_superpixels`: k-means (10 inits) on the same superpixels' mean PCA vectors, the same-run baseline;
- `ward_superpixels`: spatially constrained Ward on those means (`spatial_ward` on the region adjacency), the
  baseline that beats the method on Salinas-A with SLIC;
- `oracle_superpixel_acc`, `n_superpixels` and `pipeline_s` (segmentation to label map).

Ground truth is used only for scoring. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_felzenszwalb.py samson 0 1 2 [--scale 0.05 --min-size 4] --json out.json`
"""
import pathlib, sys, time
import numpy as np
from skimage.segmentation import felzenszwalb
from sklearn.cluster import KMeans
from clusterkit.data import load_hsi
from clusterkit.hsi import (HSI_PRESETS, SuperpixelGCNClustering, standardize_pca, relabel_segments,
                            superpixel_oracle, labelled_scores, region_adjacency, spatial_ward)

def felzenszwalb_segments(cube, n_components=20, scale=0.05, sigma=0.5, min_size=4):
    "Felzenszwalb superpixels of the first three principal components of `cube` (the script's segmentation)."
    Z = standardize_pca(cube, n_components)[..., :3]
    img = (Z - Z.min((0, 1))) / (np.ptp(Z, (0, 1)).max() + 1e-12)
    return relabel_segments(felzenszwalb(img, scale=scale, sigma=sigma, min_size=min_size, channel_axis=-1))

def probe(dataset, seed, scale=0.05, min_size=4):
    scene = load_hsi(dataset); gt = scene.gt
    K = int(len(np.unique(gt[gt > 0]))); p = HSI_PRESETS[dataset]
    score = lambda lab: {k: float(v) for k, v in labelled_scores(gt, lab).items() if k in ('acc', 'nmi')}
    t0 = time.perf_counter()
    seg = felzenszwalb_segments(scene.cube, p['n_components'], scale=scale, min_size=min_size)
    est = SuperpixelGCNClustering(K, random_state=seed, **p).fit(scene.cube, segments=seg)
    pipeline_s = time.perf_counter() - t0
    means = np.asarray(est.features_)                                  # the superpixel means the estimator was fitted on
    km = KMeans(K, n_init=10, random_state=seed).fit_predict(means)
    ward = spatial_ward(means, region_adjacency(seg), K)
    return dict(dataset=dataset, seed=seed, scale=scale, min_size=min_size, method=score(est.labels_), kmeans_superpixels=score(km[seg]), ward_superpixels=score(ward[seg]),
                oracle_superpixel_acc=float(superpixel_oracle(seg, gt)),
                n_superpixels=int(seg.max() + 1), pipeline_s=pipeline_s)

if __name__ == '__main__':
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    from hsi_pixel_step import cli
    # the segmentation: default 0.05 and 4, the setting of the tutorial's first table
    cli(probe, __doc__, options=[('--scale', float, 0.05), ('--min-size', int, 4)])
