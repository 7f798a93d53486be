"""Exploratory: read SSGCO-EGAEL's learnt embedding with spatially constrained Ward instead of k-means. (Not part of the method.)

On Salinas-A the training-free spatially constrained Ward on the superpixel means (0.8912 ACC) beats the method
(0.8432), whose k-means readout lands in the same optimum on every seed. This script fits the preset of a scene with
`run_hsi_gcn` and clusters the fitted target encoder's superpixel embeddings (`encode('encoder')`) three ways:

- `kmeans_encoder`: k-means (10 inits) on the embeddings, a check that the readout itself is not the difference;
- `ward_region`: Ward agglomeration whose merges are restricted to spatially adjacent superpixels (`spatial_ward` on
  the region adjacency), the baseline's rule applied to the learnt embedding;
- `ward_graph`: the same with the method's own graph as connectivity (region adjacency plus the preset's cosine-kNN
  edges; equal to `ward_region` where the preset has `knn=0`, as on Salinas-A).

Ground truth is used only for scoring. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_ward_readout.py salinas_a 0 1 2 3 4 --json out.json`
"""
import pathlib, sys
import numpy as np
from sklearn.cluster import KMeans
from clusterkit.hsi import run_hsi_gcn, labelled_scores, region_adjacency, spatial_ward

def probe(dataset, seed):
    rec, est, scene, _ = run_hsi_gcn(dataset, seed)
    seg, K = est.segments_, est.n_clusters
    score = lambda sp: {k: float(v) for k, v in labelled_scores(scene.gt, np.asarray(sp)[seg]).items() if k in ('acc', 'nmi')}
    Z = est.encode('encoder')
    return dict(dataset=dataset, seed=seed, method=score(est.superpixel_labels_),
                ward_superpixel_means=dict(acc=rec['metrics']['ward_superpixels_acc'], nmi=rec['metrics']['ward_superpixels_nmi']),
                kmeans_encoder=score(KMeans(K, n_init=10, random_state=seed).fit_predict(Z)),
                ward_region=score(spatial_ward(Z, region_adjacency(seg), K)),
                ward_graph=score(spatial_ward(Z, est.edge_index_, K)))

if __name__ == '__main__':
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    from hsi_pixel_step import cli
    cli(probe, __doc__)
