#!/usr/bin/env python3
"""Writes Tests/StatisticsTests/Resources/statistics-golden.json: the independent oracle for the Statistics module.

Every expected value comes from SciPy (scipy.special.betainc, scipy.stats.t, ttest_rel, binomtest) or statsmodels
(proportion_confint method='wilson', multipletests method='holm'), never from our own formulas. Run with the
environment scripts/setup installs:  ~/.cache/swift-ml/venv/bin/python scripts/make_statistics_golden.py
"""
import json
import pathlib

import numpy as np
import scipy
import statsmodels
from scipy import special, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

out = {"generated_by": "scripts/make_statistics_golden.py",
       "scipy": scipy.__version__, "statsmodels": statsmodels.__version__}

out["incomplete_beta"] = [
    {"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))}
    for (x, a, b) in [(0.1, 0.5, 0.5), (0.5, 0.5, 0.5), (0.9, 2.0, 3.0), (0.3, 5.0, 0.5), (0.999, 0.5, 0.5),
                      (0.01, 10.0, 0.5), (0.5, 50.0, 51.0), (0.5, 1.0, 1.0), (0.7, 500.0, 0.5), (0.2, 3.5, 7.25)]
]

dfs = [1, 2, 3, 4, 5, 9, 10, 29, 30, 99, 1000]
out["t_quantile"] = [{"p": p, "df": df, "value": float(stats.t.ppf(p, df))}
                     for df in dfs for p in [0.975, 0.8, 0.995, 0.6, 0.025, 0.9999]]
out["t_two_sided"] = [{"t": t, "df": df, "value": float(2 * stats.t.sf(abs(t), df))}
                      for df in dfs for t in [0.0, 0.5, -1.3, 2.0, 4.2, 12.0]]

rng = np.random.default_rng(28)
paired = []
for n, shift, spread in [(2, 0.3, 1.0), (3, -0.1, 0.5), (8, 0.4, 1.0), (25, 0.05, 2.0), (100, -0.2, 1.5), (400, 0.02, 0.3)]:
    old = np.round(rng.normal(5, 2, n), 6)
    new = np.round(old + rng.normal(shift, spread, n), 6)
    diff = new - old
    result = stats.ttest_rel(new, old)
    ci = result.confidence_interval(0.95)
    paired.append({"old": old.tolist(), "new": new.tolist(), "mean": float(diff.mean()),
                   "sd": float(diff.std(ddof=1)), "stderr": float(stats.sem(diff)),
                   "t": float(result.statistic), "p": float(result.pvalue),
                   "ci_low": float(ci.low), "ci_high": float(ci.high)})
out["paired_t"] = paired

out["wilson"] = []
for k, n in [(0, 1), (1, 1), (0, 10), (10, 10), (3, 10), (50, 100), (1, 1000), (37, 41), (7, 250)]:
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    out["wilson"].append({"successes": k, "trials": n, "low": float(low), "high": float(high)})

out["mcnemar"] = [{"b": b, "c": c, "p": float(stats.binomtest(min(b, c), b + c, 0.5).pvalue)}
                  for b, c in [(0, 1), (1, 0), (0, 5), (3, 9), (9, 3), (10, 10), (2, 3), (25, 40), (0, 30), (120, 170)]]

out["holm"] = []
for ps in [[0.01, 0.04, 0.03, 0.2], [0.001, 0.001, 0.5], [0.04], [0.02, 0.6, 0.011, 0.0001, 0.3]]:
    reject, adjusted, _, _ = multipletests(ps, alpha=0.05, method="holm")
    out["holm"].append({"p_values": ps, "adjusted": adjusted.tolist(), "reject": reject.tolist()})

out["mde"] = [{"n": n, "sd": sd, "value": float((stats.t.ppf(0.975, n - 1) + stats.t.ppf(0.8, n - 1)) * sd / np.sqrt(n))}
              for n, sd in [(2, 1.0), (5, 0.7), (30, 2.5), (200, 1.0)]]

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/StatisticsTests/Resources/statistics-golden.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}")
