"""Exploratory: does a longer autoencoder pretraining give SCGC / SCGC* / PamC a better starting point?

Pretrains the SDCN autoencoder with `clusterkit.scgc.pretrain_autoencoder` (d-500-500-2000-10, Adam 1e-3, batch 256,
MSE, no cache) and, at each checkpoint epoch (its `on_epoch` hook), clusters the 10-d code with scikit-learn's k-means
(K = number of classes, 20 inits): the `ae_kmeans_` starting point of the methods. It prints the epoch's mean training
MSE, ACC and NMI. The seed is passed to `pretrain_autoencoder` directly; the estimators derive theirs from
`random_state`, so seed s of this script is not seed s of a bench record.

Ground truth is used only for scoring. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/ae_pretrain_curve.py usps 10,30,60,100,150,200 0,2`
"""
import argparse, time
import numpy as np, torch
from sklearn.cluster import KMeans
from clusterkit.data import load_graph
from clusterkit.metrics import cluster_scores
from clusterkit.scgc import pretrain_autoencoder

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('dataset'); ap.add_argument('checkpoints', help='comma-separated epochs, e.g. 30,100,200')
    ap.add_argument('seeds', help='comma-separated seeds, e.g. 0,1')
    a = ap.parse_args()
    torch.set_num_threads(1)
    g = load_graph(a.dataset)
    X = g.x.numpy().astype(np.float32); y = g.y.numpy(); K = len(np.unique(y))
    checks = {int(e) for e in a.checkpoints.split(',')}
    for s in [int(x) for x in a.seeds.split(',')]:
        t = time.time()
        def report(ep, ae, mse):
            if ep not in checks: return
            with torch.no_grad(): z = ae.encode(torch.from_numpy(X)).numpy()
            sc = cluster_scores(y, KMeans(K, n_init=20, random_state=s).fit(z).labels_)
            print(a.dataset, 'seed', s, 'epoch', ep, 'mse', round(mse, 5), 'acc', round(sc['acc'], 4),
                  'nmi', round(sc['nmi'], 4), 'seconds', round(time.time() - t), flush=True)
        pretrain_autoencoder(X, epochs=max(checks), seed=s, cache=False, on_epoch=report)
