"""Exploratory: which part of PamC's loss empties a cluster on ACM (seed 4, AGC-style input, 50-500-10 encoder)? (Not the published method.)

The record `pamc-agcin3-h500z10_acm.json` has one collapsed run out of ten: on seed 4 the smallest cluster shrinks
from 886 to 24 nodes in the first ten epochs and the run ends at ACC .6493, while `alpha=0` (the DEC head alone) keeps
all three clusters. This probe trains the same model (the bench's options: `features='agc'`, `smooth=3`,
`hidden=(500,)`, `n_z=10`, PamC's ACM preset, 200 epochs, the bench's seed; the autoencoder pretrained afresh,
`cache=False`) with one part of the loss changed at a time:

- `published`: beta KL + alpha (positive term + meta-node term), PamC as published;
- `positive_only`: the meta-node (negative) term dropped;
- `metanode_only`: the positive term dropped;
- `unit_metanodes`: meta-nodes summed from unit-length embeddings instead of raw ones;
- `centre_metanodes`: the DEC centres mu_k (of the non-empty clusters) repelled instead of the cluster sums, so the
  push moves the centres, not the members;
- `warmup20`, `warmup50`: alpha ramped linearly from alpha/T to alpha over the first T epochs;
- `kl_only`: alpha = 0 (as the `-a0` record).

`--dataset D --smooth S` runs another set (the options of its `pamc-agcin<S>-h500z10_<D>` record). Per run it
writes the final ACC/NMI (ground truth only scores), the start (k-means on the pretrained code), and the cluster
sizes at epochs 0, 5, 10, 20 and 200. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/pamc_collapse_probe.py 4 0 --modes published,positive_only [--dataset acm --smooth 3] --json out.json`
"""
import json, pathlib, sys, time
import numpy as np
import torch
import torch.nn.functional as F
from clusterkit.data import load_graph
from clusterkit.metrics import cluster_scores
from clusterkit.scgc import PamC, get_preset, kl_loss, meta_nodes, _log_numerator

MODES = ('published', 'positive_only', 'metanode_only', 'unit_metanodes', 'centre_metanodes', 'warmup20', 'warmup50', 'kl_only')

class ProbePamC(PamC):
    "PamC with one part of the contrastive loss changed (`mode`, a class attribute so that `get_params` stays PamC's)."
    mode = 'published'
    def _epoch_full(self, opt, Xt, W, epoch):
        self._epoch = epoch
        return super()._epoch_full(opt, Xt, W, epoch)
    def _loss(self, z, x, x_hat, q, p, W, labels):
        zn = F.normalize(z, dim=1, eps=1e-8)
        pos = -_log_numerator(zn, W, self.tau, zero_diag=False).mean()
        c, nonempty = meta_nodes(zn if self.mode == 'unit_metanodes' else z, labels, self.n_clusters)
        cn = F.normalize(c[nonempty], dim=1, eps=1e-8)
        if self.mode == 'centre_metanodes': cn = F.normalize(self.mu_[nonempty], dim=1, eps=1e-8)
        neg = torch.logsumexp(self.tau * cn @ cn.T, dim=1).mean()
        contrastive = {'positive_only': pos, 'metanode_only': neg}.get(self.mode, pos + neg)
        ramp = {'warmup20': 20, 'warmup50': 50}.get(self.mode)
        alpha = 0. if self.mode == 'kl_only' else self.alpha * (min(1., (self._epoch + 1) / ramp) if ramp else 1.)
        parts = {'kl': kl_loss(p, q), 'contrastive': contrastive}
        parts['loss'] = loss = self.beta * parts['kl'] + alpha * contrastive
        return loss, parts

def probe(mode, seed, epochs=200, dataset='acm', smooth=3):
    d = load_graph(dataset); X, y = d.x.numpy(), d.y.numpy(); K = int(y.max()) + 1
    sizes = []
    cb = lambda epoch, labels, est: sizes.append(np.bincount(labels, minlength=K).tolist())
    cls = type(f'ProbePamC_{mode}', (ProbePamC,), {'mode': mode})
    t0 = time.perf_counter()
    est = cls.from_preset(dataset, K, random_state=int(seed), epochs=epochs, features='agc', smooth=smooth, hidden=(500,), n_z=10,
                          cache=False, callback=cb).fit(X, edge_index=d.edge_index)
    s, s0 = cluster_scores(y, est.labels_), cluster_scores(y, est.ae_labels_)
    return dict(mode=mode, dataset=dataset, seed=int(seed), acc=float(s['acc']), nmi=float(s['nmi']), start_acc=float(s0['acc']),
                sizes={e: sizes[e] for e in (0, 5, 10, 20) if e < len(sizes)} | {epochs: np.bincount(est.labels_, minlength=K).tolist()},
                smallest=int(min(min(v) for v in sizes)), train_s=time.perf_counter() - t0)

if __name__ == '__main__':
    args = sys.argv[1:]; js = None; modes = MODES
    if '--json' in args: i = args.index('--json'); js = args[i + 1]; args = args[:i] + args[i + 2:]
    if '--modes' in args: i = args.index('--modes'); modes = args[i + 1].split(','); args = args[:i] + args[i + 2:]
    dataset, smooth = 'acm', 3
    if '--dataset' in args: i = args.index('--dataset'); dataset = args[i + 1]; args = args[:i] + args[i + 2:]
    if '--smooth' in args: i = args.index('--smooth'); smooth = int(args[i + 1]); args = args[:i] + args[i + 2:]
    torch.set_num_threads(1)
    runs = []
    for s in [int(a) for a in args]:
        for m in modes:
            r = probe(m, s, dataset=dataset, smooth=smooth); runs.append(r)
            print(f"{m:15s} seed {s}: ACC {r['acc']:.4f} NMI {r['nmi']:.4f} start {r['start_acc']:.4f} sizes {r['sizes']}", flush=True)
            if js:
                rec = dict(dataset=dataset, epochs=200, options=dict(features='agc', smooth=smooth, hidden=[500], n_z=10, cache=False),
                           preset=f'PamC {dataset}: {get_preset("pamc", dataset)}', threads=torch.get_num_threads(), runs=runs,
                           protocol='one model per (mode, seed), labels after the last epoch; ground truth only scores them')
                pathlib.Path(js).write_text(json.dumps(rec, indent=1))
