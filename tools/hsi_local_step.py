"""Exploratory: a pixel-level last step restricted to neighbouring clusters. (Not part of the method.)

`tools/hsi_pixel_step.py` showed that one assignment step of every pixel to the nearest cluster centroid in the PCA
space lifts Jasper Ridge above k-means on the pixels but costs Samson and Salinas-A 4.8 and 1.6 ACC points: the step
lets any pixel join any cluster, so it pulls the whole labelling towards pixel k-means. A superpixel's errors are
local, though: a superpixel that straddles a class boundary holds pixels of a neighbouring region. This script
restricts the step accordingly. A pixel may keep its superpixel's cluster or join the cluster of a superpixel adjacent
to its own (region adjacency, 4-connectivity), whichever centroid is nearest (Euclidean, PCA space; centroids are the
mean PCA vectors of the method's clusters). The same two steps are also run with the spectral angle on the raw spectra
(the cluster whose mean spectrum has the largest cosine with the pixel's spectrum), the usual similarity of
hyperspectral pixels, which ignores their brightness. The steps are `clusterkit.hsi.pixel_step` (the restricted angle
variant became the estimator's `pixel_step='angle'` option; the records were written by this script's first version,
which computed the same step inline). Reported per seed:

- `method`: SSGCO-EGAEL, the preset fitted by `run_hsi_gcn` (protocol `final`);
- `local_step`: the restricted step; `pca_step`: the unrestricted one, for comparison;
- `local_angle_step`, `angle_step`: the same with the spectral angle;
- `kmeans_pixels`: the same-run baseline; `moved`, `moved_angle`: the fraction of pixels whose label the restricted
  steps changed.

Ground truth is used only for scoring. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_local_step.py jasper_ridge 0 1 --json out.json`
"""
import pathlib, sys
import numpy as np
from clusterkit.hsi import run_hsi_gcn, labelled_scores, pixel_step

def probe(dataset, seed):
    rec, est, scene, _ = run_hsi_gcn(dataset, seed)
    gt = scene.gt; K = est.n_clusters
    score = lambda lab: {k: float(v) for k, v in labelled_scores(gt, lab).items() if k in ('acc', 'nmi')}
    seg, lab_sp, before = est.segments_, est.superpixel_labels_, est.labels_
    step = lambda X, metric, neighbours: pixel_step(X, seg, lab_sp, K, metric, neighbours)
    loc, loc_angle = step(est.pca_, 'euclidean', True), step(scene.cube, 'angle', True)
    return dict(dataset=dataset, seed=seed, method=score(before), local_step=score(loc),
                pca_step=score(step(est.pca_, 'euclidean', False)), local_angle_step=score(loc_angle),
                angle_step=score(step(scene.cube, 'angle', False)),
                kmeans_pixels=dict(acc=rec['metrics']['kmeans_pixels_acc'], nmi=rec['metrics']['kmeans_pixels_nmi']),
                moved=float((loc != before).mean()), moved_angle=float((loc_angle != before).mean()))

if __name__ == '__main__':
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    from hsi_pixel_step import cli
    cli(probe, __doc__)
