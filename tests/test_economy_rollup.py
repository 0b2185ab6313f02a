"""The vectorised roll-up (`economy._Tree`) gives bit for bit what the recursive one gives.

The recursive `economy._rollup` is the reference (it is what every economy and report-figure test
was written against); `_Tree.rollup` replaced it on the page path for speed. Here both run on
random trees with holes at every level, amounts with decimals (where summation order shows in
the last bit) and negative values, and on the built-in reports' real trees through
`economy_table` with the vectorised path switched off and on.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from dashboard import economy as ec


def _random_tree(rng: random.Random, n: int) -> tuple[list[int], list[float | None]]:
    """Unit ids in a shuffled order (children before parents sometimes) and parents; a few
    parents point at ids that are not in the table (a historical unit with no row)."""
    ids = rng.sample(range(1, 10 * n), n)
    parents: list[float | None] = [None]
    for i in range(1, n):
        r = rng.random()
        parents.append(float(rng.choice(ids[:i])) if r > 0.03 else float(10 * n + i))  # 3 %: missing parent
    order = list(range(n))
    rng.shuffle(order)
    return [ids[i] for i in order], [parents[i] for i in order]


def _values(rng: random.Random, n: int, holes: float) -> list[float]:
    out = []
    for _ in range(n):
        if rng.random() < holes:
            out.append(float("nan"))
        else:
            out.append(rng.choice([round(rng.uniform(-5e5, 5e5), 1), rng.uniform(-1e3, 1e3), 0.1, -0.0, 0.0]))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_vectorised_rollup_equals_the_recursive_one_bit_for_bit(seed):
    rng = random.Random(seed)
    n = rng.choice([1, 2, 7, 60, 400])
    ids, parents = _random_tree(rng, n)
    holes = rng.choice([0.0, 0.3, 0.7, 1.0])
    vals = _values(rng, n, holes)
    table = pd.DataFrame({"unit_id": ids, "parent_id": pd.Series(parents, dtype="float64")})

    reference = dict(zip(ids, vals, strict=True))
    filled_ref = ec._rollup(reference, ec._children(table))
    got, filled = ec._Tree(table["unit_id"], table["parent_id"]).rollup(np.array(vals, dtype=np.float64))

    for i, uid in enumerate(ids):
        want = reference[uid]
        if math.isnan(want):
            assert math.isnan(got[i]), (uid, got[i])
        else:
            # same bits: repr differs for any difference in the last place and for −0,0 vs 0,0
            assert repr(float(got[i])) == repr(float(want)), (uid, got[i], want)
        assert bool(filled[i]) == filled_ref.get(uid, False), uid


def _round_pairs(eng):
    from dashboard import queries
    from dashboard.rounds import BOKSLUT

    out = []
    for namnd in queries.namnder(eng).itertuples():
        rounds = queries.rounds(eng, int(namnd.namnd_id)).sort_values("period_end")
        ids = [int(r) for r in rounds["round_id"]]
        kinds = dict(zip(rounds["round_id"], rounds["kind"], strict=True))
        for i, rid in enumerate(ids):
            out.append((rid, ids[i - 1] if i else None, kinds[rid] == BOKSLUT))
    return out


@pytest.fixture(scope="module", params=["inbyggda", "syntetisk"])
def tree_engine(request, tmp_path_factory):
    """The built-in reports, and the bench's small synthetic kommun (deeper trees, Bokslut rounds)."""
    from dashboard.bench import SCALES, generate
    from dashboard.db import init_db, make_engine, upgrade

    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('rollup') / 'r.db'}")
    if request.param == "inbyggda":
        init_db(eng)
    else:
        upgrade(eng)
        generate(eng, SCALES["small"])
    yield eng
    eng.dispose()


def test_economy_table_is_identical_with_and_without_the_vectorised_path(tree_engine, monkeypatch):
    from dashboard import queries

    pairs = _round_pairs(tree_engine)
    assert len(pairs) >= 3  # Luleå Delår 1 and 2, Linköping Delår 2; or the synthetic rounds
    for rid, prev, outcome in pairs:
        units, econ = queries.units(tree_engine, rid), queries.economy(tree_engine, rid)
        prev_econ = queries.economy(tree_engine, prev) if prev else None
        fast = ec.economy_table(units, econ, prev_econ, outcome=outcome)
        with monkeypatch.context() as mp:
            mp.setattr(ec, "_Tree", lambda *a: None)  # the reference recursion everywhere
            slow = ec.economy_table(units, econ, prev_econ, outcome=outcome)
        assert len(fast) > 1
        pd.testing.assert_frame_equal(fast, slow, check_exact=True)
