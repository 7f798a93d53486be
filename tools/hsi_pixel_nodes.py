"""Exploratory: SSGCO-EGAEL with every pixel its own node (no superpixels). (Not part of the method.)

On Samson spatial context costs accuracy (the tutorial's mode-filter diagnostic) and the superpixel oracle caps the
preset at .9475, so a reader may ask whether the method does better on the pixels themselves. This script fits the
scene's preset with `segments` set to one segment per pixel: the nodes are the H*W pixels, the spatial graph is the
4-neighbour grid and the preset's `knn` cosine edges are added as usual; view 1 is the pixel's PCA vector and view 2
draws from the same single pixel. Reported per seed: the `final` labels (`method`), the `paper_best` epoch (picked with
the labels: an oracle), the number of nodes and the seconds of the fit. Ground truth is used only for scoring.
Usage (one thread per process): `CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_pixel_nodes.py samson 0 1 --json out.json`
"""
import pathlib, sys, time
import numpy as np
from clusterkit.data import load_hsi
from clusterkit.hsi import HSI_PRESETS, SuperpixelGCNClustering, labelled_scores

def probe(dataset, seed):
    scene = load_hsi(dataset); gt = scene.gt; K = int(len(np.unique(gt[gt > 0]))); H, W = gt.shape
    pick = lambda s: {k: float(s[k]) for k in ('acc', 'nmi')}
    t0 = time.perf_counter()
    est = SuperpixelGCNClustering(K, random_state=seed, **HSI_PRESETS[dataset]).fit(
        scene.cube, segments=np.arange(H * W).reshape(H, W), eval_gt=gt)
    return dict(dataset=dataset, seed=seed, method=pick(labelled_scores(gt, est.labels_)), paper_best=pick(est.paper_best_),
                n_nodes=int(est.segments_.max() + 1), fit_s=time.perf_counter() - t0)

if __name__ == '__main__':
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    from hsi_pixel_step import cli
    cli(probe, __doc__)
