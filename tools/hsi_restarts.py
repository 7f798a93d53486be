"""Exploratory: does picking the consensus of several restarts steady SSGCO-EGAEL? (Not part of the method.)

On ten seeds the presets are less stable than on five (Salinas-A seed 9 .72, Samson seeds 8 and 9 about .82), and a weak
seed is weak from the end of the warm-up on. A label-free remedy is to fit R restarts and keep the medoid partition: the
label map with the largest mean adjusted Rand index to the other restarts, computed on all pixels (no labels).

`fit`: fits the variant (the scene's preset with `pixel_step='angle'`) for each seed and stores its label maps before
and after the pixel step (`--npz`), one line per seed. `analyse`: from such maps, the medoid of every R-subset of the
seeds against a single run, and the medoid of R consecutive seeds s, ..., s+R-1, which is what
`SuperpixelGCNClustering(random_state=s, n_restarts=R)` returns (the seeds must be consecutive from 0). Ground truth is used only for scoring. Usage (one thread per process):
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_restarts.py fit samson 0 1 2 --npz maps.npz`
`CLUSTERKIT_DATA=... python tools/hsi_restarts.py analyse samson maps.npz [more.npz ...] --json out.json`
`trace`: the preset alone (no step), scored every epoch with the labels (`fit(..., eval_gt=gt)`, which never trains on
them): ACC right after the warm-up, median over the clustering phase, best of the last 10 epochs, and the final consensus.
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_restarts.py trace salinas_a 5 6 7 8 9 --json out.json`
(`--warmup-epochs N --epochs N` replace the preset's schedule.) Each row also gives the best epoch of the clustering phase
and how many of its epochs lie within 0.01 ACC of it (records written before these fields lack them).
`landscape`: is a weak seed a k-means failure or a representation failure? Fits the preset alone (no step), takes the
space its pseudo-labels come from (`encode(cluster_on)`: the encoder output, or the unit-length projections, on which
Euclidean k-means stands in for cosine k-means), and runs `--runs` single-init k-means on it. Label-free rules pick one
run: the smallest inertia (what k-means with that many inits returns), the medoid partition, the shortest boundary
between clusters in the label map, the largest silhouette; and evidence accumulation combines them (the co-association
of the runs, cut into K clusters by average linkage). The ground truth scores them and gives the best and worst run (an
oracle). It also asks whether the partition is one merge away: k-means with K + 1 clusters (10 inits), then the merge
of the pair that adds the least inertia (Ward's rule, label-free; `split_merge_ward`) and the best of all the single
merges (an oracle; `split_merge_best`, with the majority class of the two clusters it joins).
`CLUSTERKIT_DATA=... OMP_NUM_THREADS=1 python tools/hsi_restarts.py landscape salinas_a 0 1 2 --runs 100 --json out.json`
"""
import argparse, itertools, json
import numpy as np
from clusterkit.data import load_hsi
from clusterkit.hsi import HSI_PRESETS, SuperpixelGCNClustering, consensus_medoid, labelled_scores

def _scene(dataset):
    "The scene, its ground truth and its number of classes."
    scene = load_hsi(dataset)
    return scene, scene.gt, int(len(np.unique(scene.gt[scene.gt > 0])))

def fit_maps(dataset, seeds):
    "Label maps `(len(seeds), H, W)` of the variant before (`before`) and after (`after`) the pixel step."
    scene, gt, K = _scene(dataset)
    before, after = [], []
    for s in seeds:
        est = SuperpixelGCNClustering(K, random_state=s, **dict(HSI_PRESETS[dataset], pixel_step='angle')).fit(scene.cube)
        before.append(est.superpixel_labels_[est.segments_]); after.append(est.labels_)
        b, a = labelled_scores(gt, before[-1]), labelled_scores(gt, after[-1])
        print(f"{dataset} seed {s}: before {b['acc']:.4f}/{b['nmi']:.4f} after {a['acc']:.4f}/{a['nmi']:.4f}", flush=True)
    return dict(seeds=np.asarray(seeds), before=np.stack(before).astype(np.uint8), after=np.stack(after).astype(np.uint8))

def trace(dataset, seed, **overrides):
    "ACC of the preset's clustering right after the warm-up, its median and best over the clustering phase, and the final consensus."
    scene, gt, K = _scene(dataset)
    est = SuperpixelGCNClustering(K, random_state=seed, **dict(HSI_PRESETS[dataset], **overrides)).fit(scene.cube, eval_gt=gt)
    acc = np.array([e['acc'] for e in est.history_['eval']])            # epoch warmup_epochs, then every clustering epoch
    epoch = np.array([e['epoch'] for e in est.history_['eval']])
    return dict(dataset=dataset, seed=seed, after_warmup=float(acc[0]), median=float(np.median(acc[1:])),
                best_of_last_10=float(max(acc[-10:])), final=float(labelled_scores(gt, est.labels_)['acc']),
                best=float(acc[1:].max()), best_epoch=int(epoch[1:][acc[1:].argmax()]), epochs_near_best=int((acc[1:] > acc[1:].max() - 0.01).sum()),
                **overrides)

def landscape(dataset, seed, runs=100):
    "ACC of `runs` single-init k-means partitions of the preset's final representation, and of the run each label-free rule picks."
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.metrics import silhouette_score
    from scipy.stats import spearmanr
    scene, gt, K = _scene(dataset)
    est = SuperpixelGCNClustering(K, random_state=seed, **HSI_PRESETS[dataset]).fit(scene.cube)
    Z = est.encode(est.cluster_on).astype(np.float64); seg = est.segments_
    fits = [KMeans(K, n_init=1, random_state=r).fit(Z) for r in range(runs)]
    inertia = np.array([f.inertia_ for f in fits]); maps = np.stack([f.labels_ for f in fits])[:, seg]
    boundary = (maps[:, 1:] != maps[:, :-1]).sum((1, 2)) + (maps[:, :, 1:] != maps[:, :, :-1]).sum((1, 2))
    acc = np.array([labelled_scores(gt, m)['acc'] for m in maps])
    medoid = consensus_medoid([f.labels_ for f in fits], np.bincount(seg.ravel()))
    silhouette = np.array([silhouette_score(Z, f.labels_) for f in fits])
    onehot = np.concatenate([np.eye(K)[f.labels_] for f in fits], 1)          # (M, runs * K)
    coassoc = onehot @ onehot.T / runs                                        # share of runs that put i and j together
    eac = AgglomerativeClustering(K, metric='precomputed', linkage='average').fit_predict(1 - coassoc)
    over = KMeans(K + 1, n_init=10, random_state=seed).fit(Z)                  # one cluster more, then one merge
    pairs = list(itertools.combinations(range(K + 1), 2)); n = np.bincount(over.labels_, minlength=K + 1); C = over.cluster_centers_
    over_map = over.labels_[seg]
    merge_acc = np.array([labelled_scores(gt, np.where(over_map == b, a, over_map))['acc'] for a, b in pairs])
    ward_cost = [n[a] * n[b] / (n[a] + n[b]) * ((C[a] - C[b]) ** 2).sum() for a, b in pairs]   # the inertia the merge adds
    best_pair = pairs[int(merge_acc.argmax())]
    majority = [np.bincount(gt[(over_map == k) & (gt > 0)], minlength=gt.max() + 1)[1:] for k in best_pair]   # labelled pixels per class
    return dict(dataset=dataset, seed=seed, space=est.cluster_on, runs=runs,
                method=float(labelled_scores(gt, est.labels_)['acc']),          # the fitted preset's own labels
                min_inertia=float(acc[inertia.argmin()]), medoid=float(acc[medoid]), min_boundary=float(acc[boundary.argmin()]),
                max_silhouette=float(acc[silhouette.argmax()]), evidence_accumulation=float(labelled_scores(gt, eac[seg])['acc']),
                best_run=float(acc.max()), worst_run=float(acc.min()),
                split_merge_ward=float(merge_acc[int(np.argmin(ward_cost))]), split_merge_best=float(merge_acc.max()),
                split_merge_best_classes=[scene.class_names[int(c.argmax())] if c.any() else None for c in majority],   # majority class of each merged cluster
                spearman_inertia_acc=float(spearmanr(inertia, acc)[0]) if np.ptp(acc) > 0 else None)

def medoid_table(gt, maps, seeds, sizes=(3, 5)):
    "Per seed ACC/NMI, and for every subset size R the medoid of each R-subset of the seeds against a single run."
    scores = [labelled_scores(gt, m) for m in maps]
    flat = [m.ravel() for m in maps]
    out = dict(seeds=[int(s) for s in seeds], acc=[float(s['acc']) for s in scores], nmi=[float(s['nmi']) for s in scores])
    for R in sizes:
        picks = [sub[consensus_medoid([flat[i] for i in sub])] for sub in itertools.combinations(range(len(maps)), R)]
        acc = np.array([out['acc'][i] for i in picks]); nmi = np.array([out['nmi'][i] for i in picks])
        # consecutive seeds s, ..., s+R-1: what SuperpixelGCNClustering(random_state=s, n_restarts=R) returns
        cons = [s + consensus_medoid(flat[s:s + R]) for s in range(len(maps) - R + 1)]
        out[f'medoid_of_{R}'] = dict(n_subsets=len(picks), mean_acc=float(acc.mean()), min_acc=float(acc.min()),
                                     mean_nmi=float(nmi.mean()), min_nmi=float(nmi.min()),
                                     consecutive=[dict(random_state=out['seeds'][s], pick=out['seeds'][i], acc=out['acc'][i],
                                                       nmi=out['nmi'][i]) for s, i in enumerate(cons)])
    return out

def analyse(dataset, npz_paths):
    gt = load_hsi(dataset).gt
    parts = [np.load(p) for p in npz_paths]
    seeds = np.concatenate([p['seeds'] for p in parts]); o = np.argsort(seeds)
    res = dict(dataset=dataset, variant='HSI_PRESETS[dataset] + pixel_step="angle"',
               selection='medoid: largest mean ARI to the other restarts, on all pixels (no labels)')
    for key in ('before', 'after'):
        maps = np.concatenate([p[key] for p in parts])[o]
        t = medoid_table(gt, maps, seeds[o])
        t['single_mean_acc'], t['single_min_acc'] = float(np.mean(t['acc'])), float(np.min(t['acc']))
        t['single_mean_nmi'], t['single_min_nmi'] = float(np.mean(t['nmi'])), float(np.min(t['nmi']))
        res[key] = t
    return res

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('mode', choices=['fit', 'analyse', 'trace', 'landscape']); ap.add_argument('dataset'); ap.add_argument('args', nargs='+')
    ap.add_argument('--npz'); ap.add_argument('--json'); ap.add_argument('--runs', type=int, default=100)
    ap.add_argument('--warmup-epochs', type=int); ap.add_argument('--epochs', type=int)   # trace: override the preset's schedule
    a = ap.parse_args()
    if a.mode == 'fit': np.savez_compressed(a.npz, **fit_maps(a.dataset, [int(s) for s in a.args]))
    elif a.mode in ('trace', 'landscape'):
        sched = {k: v for k, v in (('warmup_epochs', a.warmup_epochs), ('epochs', a.epochs)) if v is not None}
        rows = [trace(a.dataset, int(s), **sched) if a.mode == 'trace' else landscape(a.dataset, int(s), a.runs) for s in a.args]
        for r in rows: print(' '.join(f'{k} {v:.4f}' if isinstance(v, float) else f'{k} {v}' for k, v in r.items()), flush=True)
        if a.json: json.dump(rows, open(a.json, 'w'), indent=1)
    else:
        res = analyse(a.dataset, a.args)
        for key in ('before', 'after'):
            t = res[key]
            print(f"{a.dataset} {key}: single {t['single_mean_acc']:.4f} (min {t['single_min_acc']:.4f}) | " +
                  ' | '.join(f"{k} {v['mean_acc']:.4f} (min {v['min_acc']:.4f})" for k, v in t.items() if k.startswith('medoid')))
        if a.json: json.dump(res, open(a.json, 'w'), indent=1)
