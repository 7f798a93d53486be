"""Recompute the AGC keys (`agc_*`, `oracle_agc_*`, and the chosen orders) of saved graph bench records.

The AGC baseline inside `clusterkit bench scgc|scgc-star|pamc` is computed independently of the trained method, by
`clusterkit.agc.agc_bench_keys(dataset, seed)` (the call `run_graph_bench` makes): a record's method keys do not depend on it. When the AGC code changes,
this script replaces the AGC part of each record with what the current code gives for the same dataset and seed,
recomputes the summary, and notes it in the record's protocol (`agc_recomputed`).

    python tools/refresh_agc.py nbs/tutorials/graph_clustering_results/*.json
"""
import datetime, json, subprocess, sys
from pathlib import Path
from clusterkit.agc import agc_bench_keys
from clusterkit.cli import _summary, _jsonable

def refresh(path: Path, commit: str):
    rec = json.loads(path.read_text())
    if not any(k.startswith('agc_') for r in rec['runs'] for k in r['metrics']): return False
    for r in rec['runs']:
        metrics, extra = agc_bench_keys(rec['dataset'], r['seed'], int(rec['protocol'].get('options', {}).get('max_order', 60)))
        r['metrics'].update(metrics); r['extra'].update(extra)
    rec['summary'] = _summary(rec['runs'])
    rec['protocol']['agc_recomputed'] = (f"agc_*/oracle_agc_* keys recomputed on {datetime.date.today()} by tools/refresh_agc.py "
                                         f"with clusterkit.agc at {commit} (intra-distance rule on row-normalised filtered features); "
                                         f"the method keys are those of the original run")
    path.write_text(json.dumps(_jsonable(rec), indent=1) + '\n')
    return True

if __name__ == '__main__':
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    for p in sys.argv[1:]:
        print(p, 'refreshed' if refresh(Path(p), commit) else 'no AGC keys')
