"""Exploratory: does a longer autoencoder pretraining give SCGC / SCGC* / PamC a better starting point?

Pretrains the SDCN autoencoder (d-500-500-2000-10, Adam 1e-3, batch 256, MSE: the loop of
`clusterkit.scgc.pretrain_autoencoder`, without its cache) and, at each checkpoint epoch, clusters the 10-d code with
scikit-learn's k-means (K = number of classes, 20 inits): the `ae_kmeans_` starting point of the methods. It prints
the epoch's mean training MSE, ACC and NMI. The seed here seeds torch directly; the estimators derive their autoencoder
seed from `random_state`, so seed s of this script is not seed s of a bench record.

Ground truth is used only for scoring. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/ae_pretrain_curve.py usps 10,30,60,100,150,200 0,2`
"""
import argparse, time
import numpy as np, torch, torch.nn.functional as F
from sklearn.cluster import KMeans
from clusterkit.data import load_graph
from clusterkit.metrics import cluster_scores
from clusterkit.scgc import SDCNAutoencoder

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('dataset'); ap.add_argument('checkpoints', help='comma-separated epochs, e.g. 30,100,200')
    ap.add_argument('seeds', help='comma-separated torch seeds, e.g. 0,1')
    a = ap.parse_args()
    torch.set_num_threads(1)
    g = load_graph(a.dataset)
    X = g.x.numpy().astype(np.float32); y = g.y.numpy(); K = len(np.unique(y))
    checks = [int(e) for e in a.checkpoints.split(',')]
    for s in [int(x) for x in a.seeds.split(',')]:
        t = time.time(); torch.manual_seed(s)
        ae = SDCNAutoencoder(X.shape[1], 10, (500, 500, 2000), decoder=True)
        opt = torch.optim.Adam(ae.parameters(), lr=1e-3); Xt = torch.from_numpy(X); gen = torch.Generator().manual_seed(s)
        for ep in range(1, max(checks) + 1):
            tot = 0.
            for idx in torch.randperm(len(X), generator=gen).split(256):
                xb = Xt[idx]; loss = F.mse_loss(ae(xb)[0], xb); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
            if ep in checks:
                with torch.no_grad(): z = ae.encode(Xt).numpy()
                sc = cluster_scores(y, KMeans(K, n_init=20, random_state=s).fit(z).labels_)
                print(a.dataset, 'seed', s, 'epoch', ep, 'mse', round(tot / len(X), 5), 'acc', round(sc['acc'], 4),
                      'nmi', round(sc['nmi'], 4), 'seconds', round(time.time() - t), flush=True)
