"""Solve lifecircle's exported planning matrices with PySAL spopt (MCLP and LSCP, CBC
through PuLP) and compare objectives and run times with lifecircle's exact mode.

    python compare_spopt.py MCLP_DIR LSCP_DIR

Each DIR is a `lifecircle plan --export-matrix` output (matrix.json + plan.json).
The matrix rows are lifecircle's demand groups (residents the candidates cannot tell
apart, weighted by population) and its columns the useful candidates; an entry means
the walk from the resident to the candidate over the footpath network is within the
threshold. spopt receives it as a cost matrix (0 = within reach, 2 = not) with a
service radius of 1.
"""
import json
import sys
import time

import numpy as np
import pulp
from spopt.locate import LSCP, MCLP


def load(folder):
    with open(f"{folder}/matrix.json") as f:
        m = json.load(f)
    with open(f"{folder}/plan.json") as f:
        plan = json.load(f)
    cost = np.full((len(m["weights"]), len(m["candidates"])), 2.0)
    for j, entries in enumerate(m["entries"]):
        for g, _minutes in entries:
            cost[g, j] = 0.0
    return m, plan, cost


def main():
    mclp_dir, lscp_dir = sys.argv[1], sys.argv[2]
    solver = pulp.PULP_CBC_CMD(msg=False)
    rows = []

    m, plan, cost = load(mclp_dir)
    k = plan["parameters"]["k"]
    t0 = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, np.array(m["weights"]), service_radius=1.0, p_facilities=k)
    model = model.solve(solver)
    spopt_s = time.perf_counter() - t0
    spopt_obj = float(pulp.value(model.problem.objective))
    ours = plan["objective"]
    rows.append(("MCLP k=%d" % k, cost.shape, ours, spopt_obj, plan.get("_solve_s"), spopt_s))

    m, plan, cost = load(lscp_dir)
    # spopt's LSCP covers every demand row; our target 1.0 covers every coverable group,
    # which is exactly the rows of the matrix.
    t0 = time.perf_counter()
    model = LSCP.from_cost_matrix(cost, service_radius=1.0)
    model = model.solve(solver)
    spopt_s = time.perf_counter() - t0
    spopt_obj = float(pulp.value(model.problem.objective))
    rows.append(("LSCP 100 %", cost.shape, plan["objective"], spopt_obj, plan.get("_solve_s"), spopt_s))

    print(f"{'model':<12} {'groups x cand':>14} {'lifecircle':>11} {'spopt':>10} {'lifecircle s':>13} {'spopt s':>9}  check")
    ok = True
    for name, shape, ours, theirs, our_s, their_s in rows:
        same = abs(ours - theirs) < 1e-6 * max(1.0, abs(ours))
        ok &= same
        print(f"{name:<12} {shape[0]:>6} x {shape[1]:<5} {ours:>11.2f} {theirs:>10.2f} "
              f"{our_s if our_s is not None else float('nan'):>13.3f} {their_s:>9.3f}  {'equal' if same else 'DIFFERENT'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
