"""Exploratory: read the clusters of a trained SCGC / SCGC* / PamC off the embedding with k-means. (Not the published method.)

The published methods label node i with argmax_k q_ik, the Student-t assignment to the learned centres mu. On USPS
several runs end with a centre that no node picks (9 of 10 clusters used) or that holds a single node. This probe
trains the preset exactly as `clusterkit bench` does (same seed, 200 epochs; the autoencoder is pretrained afresh in
this process, `cache=False`, because a cached one may come from a process with another thread count) and reports,
per seed, three label-free readouts of the same trained model:

- `argmax_q`: the published labels (`labels_`, protocol `final`);
- `kmeans_z`: k-means (20 inits, k-means++, `random_state=seed`) on the final embedding z (`embedding_`);
- `kmeans_unit_z`: the same on the L2-normalised embedding (the contrastive loss compares z by cosine);

plus the number of clusters each readout uses. Ground truth is used only for scoring. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/graph_kmeans_readout.py scgc-star usps 4 5 --json out.json`
"""
import json, pathlib, sys, time
import numpy as np
import torch
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize
from clusterkit.data import load_graph
from clusterkit.metrics import cluster_scores
from clusterkit.scgc import ESTIMATORS

def probe(method, dataset, seed, epochs=200):
    d = load_graph(dataset); X, y = d.x.numpy(), d.y.numpy(); K = int(y.max()) + 1
    t0 = time.perf_counter()
    est = ESTIMATORS[method].from_preset(dataset, K, random_state=int(seed), epochs=epochs, cache=False).fit(X, edge_index=d.edge_index)
    train_s = time.perf_counter() - t0
    z = est.embedding_
    lab = dict(argmax_q=est.labels_,
               kmeans_z=KMeans(K, n_init=20, random_state=int(seed)).fit_predict(z),
               kmeans_unit_z=KMeans(K, n_init=20, random_state=int(seed)).fit_predict(normalize(z)))
    out = dict(seed=int(seed), train_s=train_s, ae_kmeans_acc=float(cluster_scores(y, est.ae_labels_)['acc']))
    for name, l in lab.items():
        s = cluster_scores(y, l)
        out[name] = dict(acc=float(s['acc']), nmi=float(s['nmi']), ari=float(s['ari']),
                         clusters_used=int((np.bincount(l, minlength=K) > 0).sum()),
                         smallest=int(np.bincount(l, minlength=K).min()))
    return out

if __name__ == '__main__':
    args = sys.argv[1:]; js = None
    if '--json' in args: i = args.index('--json'); js = args[i + 1]; args = args[:i] + args[i + 2:]
    method, dataset, seeds = args[0], args[1], [int(s) for s in args[2:]]
    torch.set_num_threads(1)
    runs = []
    for s in seeds:
        r = probe(method, dataset, s); runs.append(r)
        print(method, dataset, 'seed', s, {k: (v['acc'], v['nmi'], v['clusters_used']) for k, v in r.items() if isinstance(v, dict)}, flush=True)
        if js:   # rewritten after every seed, so an interrupted run keeps the seeds it finished
            rec = dict(method=method, dataset=dataset, epochs=200, preset='published (from_preset)', threads=torch.get_num_threads(),
                       runs=runs, protocol='one trained model per seed, three label-free readouts; ground truth only scores them')
            pathlib.Path(js).write_text(json.dumps(rec, indent=1))
