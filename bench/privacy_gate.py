"""Benchmark of the disclosure gate (analysis/privacy.py) at national scale.

    python bench/privacy_gate.py [--respondents 100000] [--units 2000] [--bodies 200] [--repeat 5]

Builds a synthetic campaign as arrays: units in a tree (each body's units up to three levels
deep), 4 position categories, 3 languages, one result per respondent in a random finishing
order. Times two releases (at 60 % of the results with the rest outstanding, then the close)
and a typical dashboard page through the gate: the selection's figures (culture score, three
sub-scores, ten gaps, the level distribution), its by-unit, by-position and by-language tables,
the per-item counts of 70 test items, and 30 course counts — for the national selection, one
body and one unit. Prints the best of --repeat wall times and the load average (other processes
on the machine inflate wall times).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.privacy import (  # noqa: E402
    Organisation,
    People,
    Released,
    extend_release,
    one_hot,
    release,
    release_table,
)

T = TypeVar("T")


def best(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """The best wall time of ``repeat`` runs, and the last result."""
    times = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def synthetic(n: int, n_units: int, n_bodies: int, seed: int) -> tuple[Organisation, People]:
    rng = np.random.default_rng(seed)
    unit_body = np.sort(rng.integers(0, n_bodies, n_units)).astype(np.intp)
    unit_parent = np.full(n_units, -1, dtype=np.intp)
    depth = np.zeros(n_units, dtype=np.intp)
    for u in range(1, n_units):
        same = np.flatnonzero((unit_body[:u] == unit_body[u]) & (depth[:u] < 2))
        if same.size and rng.random() < 0.8:
            unit_parent[u] = rng.choice(same)
            depth[u] = depth[unit_parent[u]] + 1
    # Unit sizes vary a lot (log-normal: median about 35, a few units of several hundred).
    weight = rng.lognormal(np.log(35.0), 0.9, n_units)
    unit = rng.choice(n_units, size=n, p=weight / weight.sum()).astype(np.intp)
    people = People(unit_body[unit], unit, rng.integers(0, 4, n).astype(np.intp),
                    rng.choice(3, size=n, p=[0.5, 0.45, 0.05]).astype(np.intp))
    return Organisation(unit_parent, unit_body, n_bodies), people


def head(people: People, t: int) -> People:
    return People(people.body[:t], people.unit[:t], people.position[:t], people.language[:t])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=2_000)
    parser.add_argument("--bodies", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-k", type=int, default=5)
    args = parser.parse_args()
    n, k = args.respondents, args.k
    org, people = synthetic(n, args.units, args.bodies, args.seed)
    rng = np.random.default_rng(args.seed + 1)

    first = int(n * 0.6)
    later = people.unit[first:]
    outstanding = np.bincount(later, minlength=args.units)
    t_first, p1 = best(args.repeat, lambda: extend_release(None, org, head(people, first), k,
                                                           outstanding))
    t_close, p2 = best(args.repeat, lambda: extend_release(p1, org, people, k))
    print(f"results {n:,}, units {args.units:,}, bodies {args.bodies}, k {k}")
    for name, p in (("release 1 (60 %)", p1), ("release 2 (close)", p2)):
        print(f"{name}: {p.n_atoms:,} atoms (median size {np.median(p.atom_size):.0f}, "
              f"max {p.atom_size.max()}), {p.pending:,} results pending")
    print(f"extend_release: first {t_first * 1e3:.0f} ms, at close {t_close * 1e3:.0f} ms")

    culture = rng.normal(3.2, 0.6, (n, 4))
    culture[rng.random((n, 4)) < 0.01] = np.nan
    gaps = rng.integers(0, 3, (n, 10)).astype(float)
    levels = one_hot(rng.integers(0, 5, n), 5)
    person_values = np.hstack([culture, gaps, levels])  # 19 columns
    correct = (rng.random((n, 70)) < 0.6).astype(float)
    needs = (rng.random((n, 30)) < 0.1).astype(float)
    body_sizes = np.bincount(people.body, minlength=args.bodies)
    unit_sizes = np.bincount(people.unit, minlength=args.units)
    big_body = int(body_sizes.argmax())
    typical_body = int(np.argsort(body_sizes)[args.bodies // 2])
    typical_unit = int(np.argsort(unit_sizes)[args.units // 2])

    def page(selection: np.ndarray) -> int:
        figures = release(p2, selection, person_values)
        tables = [release_table(p2, selection, codes, size, person_values)
                  for codes, size in ((people.unit, args.units), (people.position, 4),
                                      (people.language, 3))]
        items = release(p2, selection, correct)
        courses = release(p2, selection, needs)
        return sum(int(t.published.sum()) for t in tables) + sum(
            isinstance(r, Released) for r in (figures, items, courses))

    for label, selection in (("national", np.ones(n, bool)),
                             ("the largest body", people.body == big_body),
                             ("a median body", people.body == typical_body),
                             ("a median unit", people.unit == typical_unit)):
        seconds, shown = best(args.repeat, partial(page, selection))
        covered = release(p2, selection)
        share = covered.count / max(int(selection.sum()), 1) if isinstance(covered, Released) else 0.0
        print(f"page, {label} ({int(selection.sum()):,} results): {seconds * 1e3:.1f} ms "
              f"({shown} published cells; "
              f"{share:.1%} of its results in the figures)")
    everyone = np.ones(n, bool)
    unit_position = people.unit * 4 + people.position
    for label, codes, size in (("units", people.unit, args.units),
                               ("unit × position cells", unit_position, args.units * 4)):
        table = release_table(p2, everyone, codes, size)
        finished = np.bincount(codes, minlength=size)
        print(f"{label} with at least k results: {int((finished >= k).sum()):,}; with a published "
              f"figure: {int(table.published.sum()):,}; results in their own cell's figure: "
              f"{int(table.count[table.published].sum()) / n:.1%}")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
