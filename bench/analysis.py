"""Benchmark of analysis/ on a synthetic national campaign, against plain pandas + pingouin.

    python bench/analysis.py [--respondents 100000] [--units 2000] [--seed 1] [--repeat 3]

Generates, as arrays: N respondents answering in each of two waves of an identified campaign
(so the waves pair up), 40 survey items on 5 scales, 70 test items (7 competences × 5 levels
× 2; single-choice, true/false and multiple-choice), 2,000 units in 200 organisations, 4
position categories, 3 languages (one item made harder in Kazakh on purpose).

Runs the whole analysis with analysis/ (timed, best of --repeat; peak memory of the analysis by
tracemalloc and the process's peak RSS), then the same outputs with a plain pandas + pingouin
implementation (pingouin where it has the statistic, SciPy or statsmodels where it does not),
checks that both give the same numbers and prints both times and the ratio. Exits 1 if any
number disagrees.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path


def _blas_threads(argv: list[str]) -> str:
    """--blas-threads must take effect before numpy is imported."""
    for i, arg in enumerate(argv):
        if arg == "--blas-threads" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--blas-threads="):
            return arg.split("=", 1)[1]
    return "1"


BLAS_THREADS = _blas_threads(sys.argv)
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = BLAS_THREADS

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.compare import compare_groups  # noqa: E402
from analysis.culture import culture_scores, culture_subscores, group_culture, maturity_index  # noqa: E402
from analysis.dif import mantel_haenszel_dif  # noqa: E402
from analysis.gaps import competency_gaps, gap_summary  # noqa: E402
from analysis.items import distractor_analysis, item_statistics  # noqa: E402
from analysis.model import parse_maturity_model  # noqa: E402
from analysis.reliability import cronbach_alpha, scale_reliability  # noqa: E402
from analysis.scales import scale_scores  # noqa: E402
from analysis.testscoring import proficiency_levels  # noqa: E402
from analysis.waves import compare_waves, compare_waves_by_group  # noqa: E402

SCALES = ["engagement", "motivation", "self_competence", "collaboration", "openness"]
N_COMPETENCES = 7
N_POSITIONS = 4
N_LANGUAGES = 3  # 0 kk, 1 ru, 2 en
K = 5

MODEL = parse_maturity_model(
    {
        "levels": [{"level": i + 1, "min_score": s} for i, s in enumerate([1.0, 1.8, 2.6, 3.4, 4.2])],
        "dimensions": [
            {"id": "strategic_management", "weight": 0.25},
            {"id": "organisational_maturity", "weight": 0.25},
            {"id": "technological_maturity", "weight": 0.2},
            {"id": "digital_culture", "weight": 0.3},
        ],
        "culture_subscores": [
            {"id": "tested_competence", "source": "test", "weight": 0.4},
            {"id": "engagement", "source": "scale:engagement", "weight": 0.3},
            {"id": "motivation", "source": "scale:motivation", "weight": 0.3},
        ],
        "proficiency_rule": {"pass_share": 0.6, "multiple_choice": "all_or_nothing", "missing_scale_items": 0.5},
    }
)


# ---------------------------------------------------------------------------------------------
# Synthetic campaign


def generate(n: int, n_units: int, seed: int) -> dict:
    """Arrays of a two-wave campaign of ``n`` people."""
    rng = np.random.default_rng(seed)
    n_orgs = n_units // 10
    # Unit sizes vary a lot (some units fall below k, which exercises suppression).
    unit_weight = rng.pareto(1.5, n_units) + 0.05
    unit = rng.choice(n_units, size=n, p=unit_weight / unit_weight.sum()).astype(np.int32)
    unit_org = np.repeat(np.arange(n_orgs), 10)[:n_units]
    position = rng.choice(N_POSITIONS, size=n, p=[0.08, 0.2, 0.62, 0.1]).astype(np.int32)
    language = rng.choice(N_LANGUAGES, size=n, p=[0.45, 0.5, 0.05]).astype(np.int32)
    unit_effect = rng.normal(0, 0.3, n_units)
    culture = rng.normal(0, 1, n) + unit_effect[unit] + np.array([0.3, 0.1, 0.0, 0.4])[position]
    ability = 0.6 * culture + rng.normal(0, 0.8, n)

    item_scale = np.repeat(np.arange(len(SCALES)), 8)
    reverse = np.tile([False, False, False, True, False, False, True, False], len(SCALES))
    item_competence = np.repeat(np.arange(N_COMPETENCES), 10)
    item_level = np.tile(np.repeat(np.arange(1, 6), 2), N_COMPETENCES)
    item_type = np.tile(["single"] * 7 + ["true_false", "multiple", "single"], N_COMPETENCES)
    difficulty = (item_level - 3) * 0.8 + rng.normal(0, 0.3, 70)
    n_options = np.where(item_type == "true_false", 2, 4)
    key = rng.integers(0, 2, 70) % n_options

    def wave(shift: float, wave_seed: int) -> dict:
        r = np.random.default_rng(wave_seed)
        latent = culture + shift
        raw = 3 + 0.9 * latent[:, None] + r.normal(0, 0.9, (n, 40))
        raw[:, reverse] = 6 - raw[:, reverse]
        responses = np.clip(np.rint(raw), 1, 5)
        responses[r.random((n, 40)) < 0.02] = np.nan
        level_gap = ability[:, None] + shift - difficulty
        harder = np.zeros(70)
        harder[5] = 1.2  # item 5 is harder in Kazakh for equally able people
        level_gap -= np.where(language[:, None] == 0, harder, 0.0)
        correct = (r.random((n, 70)) < 1 / (1 + np.exp(-1.7 * level_gap))).astype(float)
        correct[r.random((n, 70)) < 0.01] = np.nan
        correct[r.random(n) < 0.03] = np.nan  # 3 % did not take the test
        # Chosen options: the key when right, else a distractor (or nothing when unanswered).
        distractor = (key + 1 + r.integers(0, 3, (n, 70)) % np.maximum(n_options - 1, 1)) % n_options
        choices = np.where(correct == 1, key, distractor)
        choices = np.where(np.isnan(correct), -1, choices).astype(np.int8)
        return {"responses": responses, "correct": correct, "choices": choices}

    required = rng.integers(2, 5, (N_POSITIONS, N_COMPETENCES))
    expert = {
        "strategic_management": np.clip(rng.normal(3, 0.8, n_orgs), 1, 5),
        "organisational_maturity": np.clip(rng.normal(3, 0.8, n_orgs), 1, 5),
        "technological_maturity": np.clip(rng.normal(3.2, 0.7, n_orgs), 1, 5),
    }
    expert["organisational_maturity"][:3] = np.nan  # no checklist yet
    return {
        "unit": unit, "org": unit_org[unit].astype(np.int32), "unit_org": unit_org, "position": position,
        "language": language, "item_scale": item_scale, "reverse": reverse,
        "item_competence": item_competence, "item_level": item_level, "item_type": item_type,
        "n_options": n_options, "key": key, "required": required, "expert": expert,
        "n_units": n_units, "n_orgs": n_orgs,
        "waves": [wave(0.0, seed + 10), wave(0.15, seed + 20)],
    }


# ---------------------------------------------------------------------------------------------
# analysis/


def run_analysis(d: dict) -> dict:
    """Every output of a campaign, with analysis/."""
    out: dict = {}
    choice_items = np.flatnonzero(d["item_type"] != "multiple")
    per_wave = []
    for w in d["waves"]:
        scales = scale_scores(w["responses"], d["item_scale"], d["reverse"], len(SCALES))
        levels = proficiency_levels(w["correct"], d["item_competence"], d["item_level"], N_COMPETENCES)
        per_wave.append((scales, levels))
    scales, levels = per_wave[1]
    w = d["waves"][1]
    reliability = scale_reliability(w["responses"], d["item_scale"], d["reverse"], len(SCALES))
    kr20 = cronbach_alpha(np.nan_to_num(w["correct"][~np.all(np.isnan(w["correct"]), axis=1)]))
    alpha_of = {SCALES[r.scale]: r.alpha.alpha for r in reliability}
    rel = [kr20.alpha if s.scale_id is None else alpha_of[s.scale_id] for s in MODEL.culture_subscores]
    scores = []
    for scales_w, levels_w in per_wave:
        subs = culture_subscores(MODEL, SCALES, scales_w, levels_w)
        scores.append(culture_scores(MODEL, subs, rel))
    person = scores[1]
    out["scale_scores"] = scales
    out["levels"] = levels
    out["culture"] = person.score
    out["culture_low"] = person.low
    out["reliability"] = reliability
    out["kr20"] = kr20
    out["by_unit"] = group_culture(MODEL, person.score, d["unit"], d["n_units"], K, parent=d["unit_org"])
    out["by_org"] = group_culture(MODEL, person.score, d["org"], d["n_orgs"], K)
    out["by_position"] = group_culture(MODEL, person.score, d["position"], N_POSITIONS, K)
    gaps = competency_gaps(d["required"], d["position"], levels)
    out["gaps_by_unit"] = gap_summary(gaps, d["unit"], d["n_units"], K, parent=d["unit_org"])
    out["gaps_by_position"] = gap_summary(gaps, d["position"], N_POSITIONS, K)
    out["items"] = item_statistics(w["correct"])
    total = np.nansum(w["correct"], axis=1)
    total[np.all(np.isnan(w["correct"]), axis=1)] = np.nan
    out["distractors"] = distractor_analysis(
        w["choices"][:, choice_items], d["key"][choice_items], d["n_options"][choice_items], total
    )
    out["dif"] = mantel_haenszel_dif(w["correct"], d["language"], N_LANGUAGES)
    out["compare_positions"] = compare_groups(person.score, d["position"], N_POSITIONS, K)
    out["compare_units"] = compare_groups(person.score, d["unit"], d["n_units"], K, parent=d["unit_org"])
    out["waves"] = compare_waves(scores[0].score, scores[1].score, paired=True, k=K)
    out["waves_by_unit"] = compare_waves_by_group(scores[0].score, scores[1].score, True, d["unit"], d["n_units"], k=K)
    out["waves_by_unit_unpaired"] = compare_waves_by_group(
        scores[0].score, scores[1].score, False, d["unit"], d["n_units"], groups_after=d["unit"], k=K
    )
    out["maturity"] = maturity_index(MODEL, out["by_org"].mean, d["expert"])
    return out


# ---------------------------------------------------------------------------------------------
# The plain pandas + pingouin reference


def run_reference(d: dict) -> dict:
    """The same outputs written plainly with pandas and pingouin (SciPy/statsmodels where
    pingouin has no such function)."""
    import pandas as pd
    import pingouin as pg
    from scipy import stats
    from statsmodels.stats.contingency_tables import StratifiedTable

    ref: dict = {}
    people = pd.DataFrame({"unit": d["unit"], "org": d["org"], "position": d["position"], "language": d["language"]})

    def scale_frame(responses: np.ndarray) -> pd.DataFrame:
        df = pd.DataFrame(responses, columns=[f"q{i}" for i in range(40)])
        for i in np.flatnonzero(d["reverse"]):
            df[f"q{i}"] = 6 - df[f"q{i}"]
        return df

    def scores_of(wave: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        keyed = scale_frame(wave["responses"])
        scales = pd.DataFrame(index=keyed.index)
        for s, name in enumerate(SCALES):
            cols = [f"q{i}" for i in np.flatnonzero(d["item_scale"] == s)]
            answered = keyed[cols].notna().sum(axis=1)
            scales[name] = keyed[cols].mean(axis=1).where(answered >= 0.5 * len(cols))
        test = pd.DataFrame(wave["correct"], columns=[f"t{i}" for i in range(70)])
        taken = test.notna().any(axis=1)
        levels = pd.DataFrame(index=test.index)
        for c in range(N_COMPETENCES):
            level = pd.Series(1, index=test.index)
            still = pd.Series(True, index=test.index)
            for lv in range(1, 6):
                cols = [f"t{i}" for i in np.flatnonzero((d["item_competence"] == c) & (d["item_level"] == lv))]
                passed = test[cols].fillna(0).mean(axis=1) >= 0.6 - 1e-9
                still &= passed
                level = level.where(~still, lv)
            levels[c] = level.where(taken, 0)
        return keyed, scales, levels

    waves = [scores_of(w) for w in d["waves"]]
    keyed, scales, levels = waves[1]
    ref["scale_scores"] = scales.to_numpy()
    ref["levels"] = levels.to_numpy()

    alphas = {}
    ref["reliability"] = []
    for s, name in enumerate(SCALES):
        cols = [f"q{i}" for i in np.flatnonzero(d["item_scale"] == s)]
        complete = keyed[cols].dropna()
        alpha, ci = pg.cronbach_alpha(complete)
        deleted = [pg.cronbach_alpha(complete.drop(columns=c))[0] for c in cols]
        rest_r = [complete[c].corr(complete.drop(columns=c).sum(axis=1)) for c in cols]
        alphas[name] = alpha
        ref["reliability"].append((alpha, ci, np.array(deleted), np.array(rest_r)))
    test = pd.DataFrame(d["waves"][1]["correct"]).dropna(how="all").fillna(0)
    kr20 = pg.cronbach_alpha(test)[0]

    def culture_of(scales_w: pd.DataFrame, levels_w: pd.DataFrame) -> pd.DataFrame:
        subs = pd.DataFrame({
            "test": levels_w.where(levels_w > 0).mean(axis=1),
            "engagement": scales_w["engagement"],
            "motivation": scales_w["motivation"],
        })
        weights = pd.Series({"test": 0.4, "engagement": 0.3, "motivation": 0.3})
        present = subs.notna().mul(weights).sum(axis=1)
        score = subs.mul(weights).sum(axis=1) / present
        score = score.where(present >= 0.5 - 1e-9).round(12)
        rel = pd.Series({"test": kr20, "engagement": alphas["engagement"], "motivation": alphas["motivation"]})
        sem = subs.std() * np.sqrt(1 - rel)
        se = np.sqrt(subs.notna().mul(weights**2 * sem**2).sum(axis=1)) / present
        low = (score - stats.norm.ppf(0.975) * se).clip(1, 5)
        return pd.DataFrame({"score": score, "low": low})

    cultures = [culture_of(s, lv) for _, s, lv in waves]
    people["culture"] = cultures[1]["score"]
    ref["culture"] = people["culture"].to_numpy()
    ref["culture_low"] = cultures[1]["low"].to_numpy()

    def group_means(column: str) -> pd.DataFrame:
        g = people.groupby(column)["culture"].agg(["count", "mean", "std"])
        half = stats.t.isf(0.025, g["count"] - 1) * g["std"] / np.sqrt(g["count"])
        g["low"] = (g["mean"] - half).clip(1, 5)
        return g

    ref["by_unit"] = group_means("unit")
    ref["by_org"] = group_means("org")
    ref["by_position"] = group_means("position")

    long = levels.rename_axis("person").reset_index().melt(id_vars="person", var_name="competence", value_name="level")
    long = long[long["level"] > 0]
    long["position"] = d["position"][long["person"]]
    long["unit"] = d["unit"][long["person"]]
    long["gap"] = d["required"][long["position"], long["competence"].astype(int)] - long["level"]
    long["positive"] = long["gap"].clip(lower=0)
    long["below"] = long["gap"] > 0
    for column in ("unit", "position"):
        ref[f"gaps_by_{column}"] = long.groupby([column, "competence"]).agg(
            n=("gap", "size"), share_below=("below", "mean"),
            mean_gap=("positive", "mean"), priority=("positive", "sum"),
        )

    correct = pd.DataFrame(d["waves"][1]["correct"]).dropna(how="all")
    scored = correct.fillna(0)
    total = scored.sum(axis=1)
    facility = scored.mean()
    rest_r = pd.Series([scored[i].corr(total - scored[i]) for i in scored.columns])
    size = 0.27 * len(total)

    def group_weights(values: pd.Series) -> pd.Series:
        boundary = values.sort_values().iloc[int(np.ceil(size - 1e-9)) - 1]
        below = values < boundary
        at = values == boundary
        return below.astype(float) + at * (size - below.sum()) / at.sum()

    lower_w, upper_w = group_weights(total), group_weights(-total)
    index = scored.mul(upper_w, axis=0).sum() / size - scored.mul(lower_w, axis=0).sum() / size
    ref["items"] = (facility.to_numpy(), rest_r.to_numpy(), index.to_numpy())

    choice_items = np.flatnonzero(d["item_type"] != "multiple")
    choices = pd.DataFrame(d["waves"][1]["choices"][:, choice_items]).loc[correct.index]
    shares = np.full((len(choice_items), 4), np.nan)
    for j, column in enumerate(choices.columns):
        counts = choices[column].value_counts(normalize=True)
        for option in range(d["n_options"][choice_items[j]]):
            shares[j, option] = counts.get(option, 0.0)
    ref["distractors"] = shares

    dif = {}
    frame = scored.assign(stratum=total.astype(int), language=d["language"][correct.index])
    for reference, focal in [(0, 1), (0, 2), (1, 2)]:
        pair = frame[frame["language"].isin([reference, focal])]
        deltas, chis = [], []
        for item in range(70):
            table = pair.groupby(["stratum", "language"])[item].agg(["sum", "count"]).unstack("language").fillna(0)
            a, n_ref = table[("sum", reference)], table[("count", reference)]
            c, n_foc = table[("sum", focal)], table[("count", focal)]
            keep = (n_ref > 0) & (n_foc > 0)
            tables = np.array([[a[keep], n_ref[keep] - a[keep]], [c[keep], n_foc[keep] - c[keep]]], dtype=float)
            st = StratifiedTable(tables)
            deltas.append(-2.35 * np.log(st.oddsratio_pooled))
            # statsmodels lets the continuity correction overshoot when |ΣA − ΣE(A)| < 0.5;
            # analysis/ stops it at zero: rebuild the corrected statistic from the uncorrected one.
            deviation = np.sum(a[keep] - n_ref[keep] * (a[keep] + c[keep]) / (n_ref[keep] + n_foc[keep]))
            uncorrected = st.test_null_odds(correction=False).statistic
            chis.append(max(abs(deviation) - 0.5, 0) ** 2 * uncorrected / deviation**2 if deviation else 0.0)
        dif[(reference, focal)] = (np.array(deltas), np.array(chis))
    ref["dif"] = dif

    scored_people = people.dropna(subset=["culture"])
    ref["kruskal_positions"] = pg.kruskal(data=scored_people, dv="culture", between="position")
    ref["pairwise_positions"] = pg.pairwise_tests(
        data=scored_people, dv="culture", between="position", parametric=False, padjust="holm"
    )
    # Units under k (and their complements) are left out of unit comparisons; the rule is
    # analysis.suppression's, applied to counts made with pandas.
    from analysis.suppression import suppress

    counts = scored_people["unit"].value_counts().reindex(range(d["n_units"]), fill_value=0).to_numpy()
    hidden = suppress(counts, K, parent=d["unit_org"])
    shown_people = scored_people[~hidden[scored_people["unit"].to_numpy()]]
    ref["kruskal_units"] = stats.kruskal(*[g["culture"].to_numpy() for _, g in shown_people.groupby("unit")])
    versus_rest = {}
    values = shown_people["culture"].to_numpy()
    units = shown_people["unit"].to_numpy()
    for u in np.unique(units):
        inside = units == u
        versus_rest[u] = stats.mannwhitneyu(values[inside], values[~inside], method="asymptotic").pvalue
    ref["versus_rest"] = versus_rest

    pairs = pd.DataFrame({"before": cultures[0]["score"], "after": cultures[1]["score"], "unit": d["unit"]}).dropna()
    # pg.wilcoxon also computes a common-language effect size from an n × n matrix of
    # differences (75 GiB at 100,000 pairs), so the test is SciPy's and the matched-pairs
    # rank-biserial is computed as pingouin does it.
    diff = pairs["after"] - pairs["before"]
    diff = diff[diff != 0]
    ranks = diff.abs().rank()
    rbc = (ranks[diff > 0].sum() - ranks[diff < 0].sum()) / ranks.sum()
    ref["waves"] = (stats.wilcoxon(diff).pvalue, rbc)
    by_unit = {}
    unpaired = {}
    for u, g in pairs.groupby("unit"):
        diff = g["after"] - g["before"]
        diff = diff[diff != 0]
        if len(diff) > 0:
            by_unit[u] = stats.wilcoxon(diff, method="asymptotic").pvalue
        unpaired[u] = stats.mannwhitneyu(g["after"], g["before"], method="asymptotic").pvalue
    ref["waves_by_unit"] = by_unit
    ref["waves_by_unit_unpaired"] = unpaired

    org_means = ref["by_org"]["mean"].reindex(range(d["n_orgs"]))
    expert = pd.DataFrame(d["expert"])
    ref["maturity"] = (0.25 * expert["strategic_management"] + 0.25 * expert["organisational_maturity"]
                       + 0.2 * expert["technological_maturity"] + 0.3 * org_means).to_numpy()
    return ref


# ---------------------------------------------------------------------------------------------
# Checking that both agree


class Checker:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.count = 0

    def close(self, name: str, ours, theirs, rtol: float = 1e-9, atol: float = 1e-9) -> None:
        self.count += 1
        ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
        if ours.shape != theirs.shape or not np.allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True):
            worst = np.nanmax(np.abs(ours - theirs)) if ours.shape == theirs.shape else "shape"
            self.failures.append(f"{name}: differ (largest difference {worst})")

    def true(self, name: str, condition: bool) -> None:
        self.count += 1
        if not condition:
            self.failures.append(name)


def check(ours: dict, ref: dict, d: dict) -> Checker:
    c = Checker()
    c.close("scale scores", ours["scale_scores"], ref["scale_scores"])
    c.close("proficiency levels", ours["levels"], ref["levels"])
    for mine, (alpha, ci, deleted, rest_r) in zip(ours["reliability"], ref["reliability"], strict=True):
        c.close(f"alpha {SCALES[mine.scale]}", mine.alpha.alpha, alpha)
        c.close(f"alpha interval {SCALES[mine.scale]}", [mine.alpha.low, mine.alpha.high], ci, atol=5e-4 + 1e-9)
        c.close(f"alpha if deleted {SCALES[mine.scale]}", mine.alpha_if_deleted, deleted)
        c.close(f"item-rest r {SCALES[mine.scale]}", mine.item_rest_r, rest_r)
    c.close("culture scores", ours["culture"], ref["culture"])
    c.close("culture interval", ours["culture_low"], ref["culture_low"])
    for name in ("by_unit", "by_org", "by_position"):
        mine, theirs = ours[name], ref[name]
        shown = np.flatnonzero(~mine.suppressed & (mine.n > 0))
        c.close(f"group means {name}", mine.mean[shown], theirs["mean"].reindex(shown))
        c.close(f"group intervals {name}", mine.low[shown], theirs["low"].reindex(shown))
        counts = theirs["count"].reindex(range(mine.n.size)).fillna(0).to_numpy()
        c.true(f"every group under k hidden ({name})", bool(np.all(mine.suppressed[(counts > 0) & (counts < K)])))
    for name in ("gaps_by_unit", "gaps_by_position"):
        mine, theirs = ours[name], ref[name]
        rows = theirs.index.get_level_values(0).to_numpy()
        cols = theirs.index.get_level_values(1).to_numpy().astype(int)
        shown = ~mine.suppressed[rows]
        for field in ("share_below", "mean_gap", "priority"):
            c.close(f"{name} {field}", getattr(mine, field)[rows[shown], cols[shown]], theirs[field].to_numpy()[shown])
    facility, rest_r, index = ref["items"]
    c.close("item facility", ours["items"].facility, facility)
    c.close("item-rest r (test)", ours["items"].item_rest_r, rest_r)
    c.close("discrimination index", ours["items"].discrimination_index, index)
    c.close("option shares", ours["distractors"].share, ref["distractors"])
    for result in ours["dif"]:
        deltas, chis = ref["dif"][(result.reference, result.focal)]
        c.close(f"DIF delta {result.reference}-{result.focal}", result.delta, deltas)
        c.close(f"DIF chi2 {result.reference}-{result.focal}", result.chi2, chis)
    kk_ru = next(r for r in ours["dif"] if (r.reference, r.focal) == (0, 1))
    c.true("DIF flags the planted item", kk_ru.category[5] == "C")
    kw = ref["kruskal_positions"]
    positions = ours["compare_positions"]
    c.close("Kruskal-Wallis positions", [positions.omnibus.statistic, positions.omnibus.p],
            [kw["H"].iloc[0], kw["p_unc"].iloc[0]])
    pw = ref["pairwise_positions"]
    c.close("pairwise Holm p", [p.p_holm for p in positions.pairs], pw["p_corr"].to_numpy(), rtol=1e-7)
    # pingouin reports U of the first group; analysis/ that of the second (U₁ + U₂ = n₁n₂).
    c.close("pairwise U", [p.n_first * p.n_second - p.u for p in positions.pairs], pw["U_val"].to_numpy())
    units = ours["compare_units"]
    kw_units = ref["kruskal_units"]
    c.close("Kruskal-Wallis units", [units.omnibus.statistic, units.omnibus.p], [kw_units.statistic, kw_units.pvalue])
    c.true("units compared each against the rest", units.mode == "versus_rest")
    c.close("versus-rest p", [p.p for p in units.pairs], [ref["versus_rest"][p.second] for p in units.pairs])
    waves = ref["waves"]
    c.close("paired waves p", ours["waves"].p, waves[0])
    c.close("paired waves effect", ours["waves"].effect, waves[1])
    by_unit = ours["waves_by_unit"]
    tested = [u for u in ref["waves_by_unit"] if not by_unit.suppressed[u]]
    c.close("paired waves by unit p", by_unit.p[tested], [ref["waves_by_unit"][u] for u in tested])
    unpaired = ours["waves_by_unit_unpaired"]
    tested = [u for u in ref["waves_by_unit_unpaired"] if not unpaired.suppressed[u]]
    c.close("unpaired waves by unit p", unpaired.p[tested], [ref["waves_by_unit_unpaired"][u] for u in tested])
    org_shown = ~ours["by_org"].suppressed
    c.close("maturity index", ours["maturity"].score[org_shown], ref["maturity"][org_shown])
    return c


# ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-reference", action="store_true", help="time analysis/ only")
    parser.add_argument("--blas-threads", default="1",
                        help="BLAS threads for both implementations (default 1; see bench/README.md)")
    args = parser.parse_args()

    start = time.perf_counter()
    data = generate(args.respondents, args.units, args.seed)
    print(f"BLAS threads: {BLAS_THREADS}; CPUs: {os.cpu_count()}")
    print(f"generated {args.respondents:,} respondents × 2 waves, 40 survey + 70 test items, "
          f"{args.units:,} units, 3 languages in {time.perf_counter() - start:.2f} s")

    run_analysis(data)  # warm-up: imports, SciPy's first calls
    times, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        ours = run_analysis(data)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    tracemalloc.start()
    run_analysis(data)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after_analysis = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    wall = min(times)
    load = os.getloadavg()[0]
    print(f"load average before timing: {load:.1f} (other processes share the CPUs when above 0)")
    print(f"analysis/: {wall:.3f} s wall (best of {args.repeat}: {', '.join(f'{t:.3f}' for t in times)}), "
          f"{min(cpu):.3f} s CPU, "
          f"peak memory of the analysis {traced_peak / 2**20:.0f} MiB (tracemalloc), "
          f"process peak RSS {rss_after_analysis:.0f} MiB (data included)")

    if args.no_reference:
        return 0
    start, start_cpu = time.perf_counter(), time.process_time()
    ref = run_reference(data)
    ref_wall = time.perf_counter() - start
    ref_cpu = time.process_time() - start_cpu
    print(f"pandas + pingouin reference: {ref_wall:.2f} s wall, {ref_cpu:.2f} s CPU; "
          f"ratio {ref_wall / wall:.0f}× wall, {ref_cpu / min(cpu):.0f}× CPU (reference / analysis)")

    checker = check(ours, ref, data)
    if checker.failures:
        print(f"MISMATCH in {len(checker.failures)} of {checker.count} checks:")
        for failure in checker.failures:
            print("  -", failure)
        return 1
    print(f"same numbers: all {checker.count} checks agree")
    print(f"target: < 1 s wall and < 1 GiB: {'met' if wall < 1 and rss_after_analysis < 1024 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
