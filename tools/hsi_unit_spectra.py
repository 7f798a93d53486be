"""Exploratory: SSGCO-EGAEL on spectra scaled to unit length. (Not part of the method.)

k-means by spectral angle on the raw pixels (`angle_kmeans`) beats every other method on Samson. This script asks
whether the method's input can carry the angle: every pixel's spectrum is divided by its norm before the preset's
standardisation, PCA and SLIC, and the preset is fitted with `pixel_step='angle'`. Reported per seed: the labels
before the step (`before_step`), after it (`with_step`), and k-means (10 inits) on the same superpixel means
(`kmeans_superpixels`). Ground truth is used only for scoring. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_unit_spectra.py samson 0 1 --json out.json`
"""
import pathlib, sys
import numpy as np
from sklearn.cluster import KMeans
from clusterkit.data import load_hsi
from clusterkit.hsi import HSI_PRESETS, SuperpixelGCNClustering, labelled_scores

def probe(dataset, seed):
    scene = load_hsi(dataset); gt = scene.gt; K = int(len(np.unique(gt[gt > 0])))
    score = lambda lab: {k: float(v) for k, v in labelled_scores(gt, lab).items() if k in ('acc', 'nmi')}
    cube = np.asarray(scene.cube, dtype=np.float64)
    cube = cube / np.linalg.norm(cube, axis=2, keepdims=True).clip(1e-12)
    est = SuperpixelGCNClustering(K, random_state=seed, **dict(HSI_PRESETS[dataset], pixel_step='angle')).fit(cube)
    km = KMeans(K, n_init=10, random_state=seed).fit_predict(est.features_)
    return dict(dataset=dataset, seed=seed, before_step=score(est.superpixel_labels_[est.segments_]),
                with_step=score(est.labels_), kmeans_superpixels=score(km[est.segments_]))

if __name__ == '__main__':
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    from hsi_pixel_step import cli
    cli(probe, __doc__)
