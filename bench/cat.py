"""Benchmark of the adaptive skills test against the 70-item linear form, on simulated takers.

    python bench/cat.py [--bank shipped|synthetic] [--takers 3000] [--calibration-takers 100000]

The bank's structure is the shipped one: questionnaires/digital_skills_test.yaml (each item's
competence and level, and the linear form `linear_form`), and the adaptive rules and cut scores
of questionnaires/maturity_model.yaml (`adaptive_test`), compared with variants of them.

--bank shipped (default): the parameters the application uses before any calibration, from the
items' levels (analysis.adaptive.default_item_parameters: a = 1, b = level − 3), are both the
truth and the bank, and the cut scores are maturity_model.yaml's. This is the test as it runs
today.

--bank synthetic: the calibrated bank. Truth: a ~ lognormal(log 1.3, 0.25) (median 1.3, 90 % in
0.86-1.96, clipped to 0.5-2.8), b = 0.9·(level − 3) + N(0, 0.35²) on the shipped structure. These
are ordinary 2PL slopes for well-written knowledge items (logistic metric; 1.3 is about 0.75 in
the normal-ogive metric), not chosen to make any target easy: the items are scenario questions
with four or five options, not a bank of unusually sharp items. Each person has one ability per
competence, the competences correlating --correlation (0.7) through a general factor, so the data
are not exactly unidimensional and the unidimensional fit sees smaller slopes (about 1.0) than the
truth. A person's true level in a competence is their ability's band between the true
cut scores (the θ where the expected share right on the competence's level-L items reaches 60 %,
the linear rule's pass mark, in true scores).

Calibration: a 2PL fitted to --calibration-takers simulated takers answering all 210 items
(timed), and once more to the same number answering 25 random items each (sparse, timed). The
adaptive test and every EAP run on the dense calibration's *estimated* parameters and cut scores
computed from them; only the scoring against truth uses the true values.

Then --takers new people take the linear form (2 items per competence × level, scored with
today's rule in analysis/testscoring.py and with EAP) and adaptive configurations: the shipped
rules (Sympson-Hetter exposure control, analysis/exposure.py, its parameters simulated as the
application simulates them), no exposure control, the previous rule (randomesque top 15), and
variants. Printed: items used, SE, per-competence level agreement with the true level, items as a
share of the linear form, item exposure, the time to pick the next item, and the bound no item
choice can beat: the SE of the 25 most informative items of the bank at each taker's general
ability, with no exposure or content limit.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # two threads on 2 cores are slower (bench/README.md)

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.adaptive import (  # noqa: E402
    competence_levels,
    cut_scores_from_levels,
    default_item_parameters,  # noqa: E402
    item_bank,
    levels_for,
    next_item,
)
from analysis.exposure import sympson_hetter  # noqa: E402
from analysis.irt import calibrate, eap, item_information  # noqa: E402
from analysis.model import parse_maturity_model  # noqa: E402
from analysis.testscoring import proficiency_levels  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
N_LEVELS = 5


def shipped_structure() -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Competence code and level of every shipped item, the linear form's item indices, and
    the number of competences."""
    import yaml

    test = yaml.safe_load((ROOT / "questionnaires" / "digital_skills_test.yaml").read_text("utf-8"))
    codes = list(dict.fromkeys(item["competence"] for item in test["items"]))
    competence = np.array([codes.index(item["competence"]) for item in test["items"]])
    level = np.array([item["level"] for item in test["items"]])
    form = set(test.get("linear_form") or ())
    linear = np.array([i for i, item in enumerate(test["items"]) if item["id"] in form])
    return competence, level, linear, len(codes)


def shipped_model():
    import yaml

    data = yaml.safe_load((ROOT / "questionnaires" / "maturity_model.yaml").read_text("utf-8"))
    return parse_maturity_model(data)


def true_bank(rng: np.random.Generator, level: np.ndarray, synthetic: bool) -> tuple[np.ndarray, np.ndarray]:
    """True a and b of the items: provisional (from the levels) or synthetic."""
    if not synthetic:
        return default_item_parameters(level)
    a = np.clip(rng.lognormal(np.log(1.3), 0.25, level.size), 0.5, 2.8)
    b = 0.9 * (level - 3) + rng.normal(0.0, 0.35, level.size)
    return a, b


def abilities(rng: np.random.Generator, n: int, correlation: float,
              n_competences: int) -> tuple[np.ndarray, np.ndarray]:
    """General ability (n,) and competence abilities (n, n_competences), each N(0, 1)."""
    general = rng.normal(size=n)
    unique = rng.normal(size=(n, n_competences))
    return general, np.sqrt(correlation) * general[:, None] + np.sqrt(1 - correlation) * unique


def answers(rng: np.random.Generator, theta: np.ndarray, a: np.ndarray, b: np.ndarray,
            competence: np.ndarray) -> np.ndarray:
    """Simulated right (1.0) / wrong (0.0) answers (n, n_items) of competence abilities."""
    p = 1.0 / (1.0 + np.exp(-a * (theta[:, competence] - b)))
    return (rng.random(p.shape) < p).astype(np.float64)


def run_adaptive(bank, rules, a_true, b_true, theta, seed):
    """Every taker through the adaptive test; answers (n, 210) with nan for items not shown.
    With ``rules.max_exposure``, the Sympson–Hetter parameters are simulated first, as the
    application does (their time is printed)."""
    eligibility = None
    if rules.max_exposure is not None:
        started = time.perf_counter()
        eligibility = sympson_hetter(bank, rules)
        print(f"  Sympson-Hetter parameters for max_exposure {rules.max_exposure}: "
              f"{time.perf_counter() - started:.2f} s, {int(np.sum(eligibility < 1))} items below 1, "
              f"lowest {eligibility.min():.2f}")
    rng = np.random.default_rng(seed)
    n = theta.shape[0]
    responses = np.full((n, bank.difficulty.size), np.nan)
    se = np.zeros(n)
    pick_times = []
    reasons: dict[str, int] = {}
    for person in range(n):
        shown: list[int] = []
        right: list[float] = []
        while True:
            started = time.perf_counter()
            step = next_item(bank, shown, right, seed=seed * 100_003 + person, rules=rules,
                             eligibility=eligibility)
            pick_times.append(time.perf_counter() - started)
            if step.item is None:
                break
            item = step.item
            c = bank.competence[item]
            p = 1.0 / (1.0 + np.exp(-a_true[item] * (theta[person, c] - b_true[item])))
            shown.append(item)
            right.append(float(rng.random() < p))
        responses[person, shown] = right
        se[person] = step.se
        reasons[step.stop_reason or "?"] = reasons.get(step.stop_reason or "?", 0) + 1
    return responses, se, np.array(pick_times), reasons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bank", choices=["shipped", "synthetic"], default="shipped")
    parser.add_argument("--takers", type=int, default=3000)
    parser.add_argument("--calibration-takers", type=int, default=100_000)
    parser.add_argument("--correlation", type=float, default=0.7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    competence, level, linear_items, n_competences = shipped_structure()
    model = shipped_model()
    synthetic = args.bank == "synthetic"
    a_true, b_true = true_bank(rng, level, synthetic)
    n_items = a_true.size
    per_cell = np.bincount(competence * N_LEVELS + level - 1)

    print(f"bank: {n_items} items ({n_competences} competences x {N_LEVELS} levels, "
          f"{per_cell.min()}-{per_cell.max()} per cell), linear form {linear_items.size} items; "
          f"parameters: {'synthetic truth, estimated by calibration' if synthetic else 'provisional from the levels (a = 1, b = level - 3), truth = bank'}; "
          f"competence correlation {args.correlation}; load average {os.getloadavg()[0]:.2f}")
    fit_seconds = None
    if synthetic:
        _, theta_cal = abilities(rng, args.calibration_takers, args.correlation, n_competences)
        dense = answers(rng, theta_cal, a_true, b_true, competence)
        fit = calibrate(dense, "2pl")
        fit_seconds = fit.seconds
        print(f"calibration 2PL, {args.calibration_takers:,} takers x {n_items} items (dense): "
              f"{fit.seconds:.1f} s, {fit.iterations} EM cycles, converged {fit.converged}")
        sparse = dense.copy()
        keep = np.argsort(rng.random(dense.shape), axis=1)[:, :25]
        shown = np.zeros(dense.shape, dtype=bool)
        np.put_along_axis(shown, keep, True, axis=1)
        sparse[~shown] = np.nan
        del dense
        sparse_fit = calibrate(sparse, "2pl")
        print(f"calibration 2PL, {args.calibration_takers:,} takers x 25 of {n_items} items (sparse): "
              f"{sparse_fit.seconds:.1f} s, {sparse_fit.iterations} EM cycles, converged {sparse_fit.converged}")
        del sparse
        print(f"  recovery (dense fit vs truth): corr a {np.corrcoef(fit.discrimination, a_true)[0, 1]:.3f}, "
              f"corr b {np.corrcoef(fit.difficulty, b_true)[0, 1]:.3f}, "
              f"mean a {fit.discrimination.mean():.2f} (true {a_true.mean():.2f})")
        bank = item_bank(fit.discrimination, fit.difficulty, competence)
        cuts = np.array([cut_scores_from_levels(bank.discrimination[competence == c], bank.difficulty[competence == c],
                                                level[competence == c]) for c in range(n_competences)])
    else:
        bank = item_bank(a_true, b_true, competence)
        cuts = np.broadcast_to(np.asarray(model.cut_scores), (n_competences, N_LEVELS - 1))
    true_cuts = np.array([cut_scores_from_levels(a_true[competence == c], b_true[competence == c],
                                                 level[competence == c]) for c in range(n_competences)])
    print(f"  cut scores (mean over competences) true {np.round(true_cuts.mean(0), 2)}, "
          f"used {np.round(cuts.mean(0), 2)}")

    general, theta = abilities(rng, args.takers, args.correlation, n_competences)
    true_level = levels_for(theta, true_cuts)
    print(f"\n{args.takers:,} takers; true level shares "
          f"{np.round(np.bincount(true_level.ravel(), minlength=6)[1:] / true_level.size, 2)}")

    linear = answers(rng, theta, a_true[linear_items], b_true[linear_items], competence[linear_items])
    rule_level = proficiency_levels(linear, competence[linear_items], level[linear_items], n_competences)
    linear_full = np.full((args.takers, n_items), np.nan)
    linear_full[:, linear_items] = linear
    linear_eap = eap(linear_full, bank.discrimination, bank.difficulty)
    linear_levels = competence_levels(linear_full, bank, cuts)
    rows = [("linear form, the maturity model's rule", linear_items.size, np.nan, rule_level, None),
            ("linear form, EAP levels", linear_items.size, linear_eap.se, linear_levels.level, linear_levels)]

    shipped = model.adaptive_rules
    configurations = {
        f"shipped (Sympson-Hetter {shipped.max_exposure}, top {shipped.randomesque}, max {shipped.max_items})": shipped,
        "no exposure control (top 1), max 25": replace(shipped, randomesque=1, max_exposure=None),
        "randomesque top 15, max 25 (previous rule)": replace(shipped, randomesque=15, max_exposure=None),
        "Sympson-Hetter 0.25, top 1, max 25": replace(shipped, randomesque=1, max_exposure=0.25),
        f"shipped, stop at SE {shipped.target_se} or 42 items": replace(shipped, max_items=42),
    }
    # What no item choice can beat: the 25 most informative items of the bank at each taker's
    # general ability, with no exposure or content limit (and the N(0, 1) prior).
    information = item_information(general, bank.discrimination, bank.difficulty)
    best = -np.sort(-information, axis=1)[:, :25].sum(axis=1)
    print(f"  bound: the 25 most informative items at the taker's general ability, no limits: "
          f"mean SE {np.mean(1 / np.sqrt(1 + best)):.3f}")
    exposure_rows = []
    summary: dict[str, tuple[float, ...]] = {}
    for number, (name, rules) in enumerate(configurations.items()):
        responses, se, times, reasons = run_adaptive(bank, rules, a_true, b_true, theta, args.seed + number)
        used = np.sum(~np.isnan(responses), axis=1)
        levels = competence_levels(responses, bank, cuts, rules.deviation_sd)
        rows.append((name, used, se, levels.level, levels))
        exposure = np.sum(~np.isnan(responses), axis=0) / args.takers
        exposure_rows.append((name, exposure, times, reasons))
        summary[name] = (float(np.mean(used)), float(np.mean(se)), float(np.mean(levels.level == true_level)),
                         float(exposure.max()), float(np.percentile(times, 95)))

    print(f"\n{'form':50} {'items':>6} {'share':>6} {'SE':>5} {'SE<=.30':>7} {'exact':>6} {'±1':>5} {'p(level)':>8}")
    for name, used, se, lv, detail in rows:
        used_mean = float(np.mean(used))
        exact = float(np.mean(lv == true_level))
        within = float(np.mean(np.abs(lv.astype(int) - true_level) <= 1))
        se_text = "  -  " if np.all(np.isnan(se)) else f"{np.mean(se):.3f}"
        reached = "   -" if np.all(np.isnan(se)) else f"{np.mean(se <= 0.30):.2f}"
        sure = "     -" if detail is None else f"{np.mean(detail.probability):.2f}"
        print(f"{name:50} {used_mean:6.1f} {used_mean / linear_items.size:6.0%} {se_text:>5} {reached:>7} "
              f"{exact:6.3f} {within:5.3f} {sure:>8}")
    print("  exact / ±1: share of (taker, competence) levels equal to / within one of the true level;"
          " p(level): mean posterior probability of the reported level")
    for name, exposure, times, reasons in exposure_rows:
        print(f"\n{name}")
        print(f"  exposure: max {exposure.max():.3f}, mean {exposure.mean():.3f}, "
              f"items over 0.25: {int(np.sum(exposure > 0.25))}, never shown: {int(np.sum(exposure == 0))}")
        print(f"  next item: p50 {np.percentile(times, 50) * 1000:.2f} ms, p95 {np.percentile(times, 95) * 1000:.2f} ms, "
              f"max {times.max() * 1000:.2f} ms; stop reasons {reasons}")

    rule_exact = float(np.mean(rule_level == true_level))
    if fit_seconds is not None:
        print(f"\ntargets (calibration {fit_seconds:.1f} s <= 60 s: {'met' if fit_seconds <= 60 else 'NOT met'}; "
              f"linear rule exact {rule_exact:.3f})")
    else:
        print(f"\ntargets (linear rule exact {rule_exact:.3f}; calibration time: run --bank synthetic)")
    for name, (items_used, se_mean, exact, exposure_max, pick_p95) in summary.items():
        checks = {
            "SE <= .30 with <= 25 items": se_mean <= 0.30 and items_used <= 25,
            "levels >= linear rule at <= 60 % of its items": exact >= rule_exact
            and items_used <= 0.6 * linear_items.size,
            "exposure <= .25": exposure_max <= 0.25,
            "next item p95 <= 20 ms": pick_p95 <= 0.020,
        }
        print(f"  {name}: " + "; ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in checks.items()))


if __name__ == "__main__":
    main()
