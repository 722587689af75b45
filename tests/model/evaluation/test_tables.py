"""The report's markdown tables: the best likelihood in bold, a row per metric and per model,
and a verdict line for each baseline."""

from __future__ import annotations

import json

from segue.model.evaluation.tables import metric_table, nll_table, summary_table, verdict_lines
from segue.model.metrics import METRICS


def test_the_tables_of_a_report(first_run: dict) -> None:
    report = json.loads(first_run["json"].read_text(encoding="utf-8"))
    names = [m["name"] for m in report["models"]]
    scored = [n for n in names if n in report["nll"]]  # all but the repeat baseline
    assert scored == names[:-1] and names[-1] == "repeat"
    totals = {n: report["nll"][n]["nats"]["total"] for n in scored}
    best = min(totals, key=totals.__getitem__)

    nll = nll_table(report).splitlines()
    assert len(nll) == 2 + len(scored)
    assert [line.count("**") for line in nll[2:]] == [2 if n == best else 0 for n in scored]
    assert f"**{totals[best]:.3f}**" in nll[2 + scored.index(best)]

    metrics = metric_table(report, "1").splitlines()
    assert metrics[0].startswith("| metric | real (mean ± sd) | tolerance | ")
    assert metrics[0].endswith(" | ".join(names) + " |")
    assert [line.split(" | ")[0] for line in metrics[2:-1]] == [f"| {m.label}" for m in METRICS]
    within = [report["continuations"][n]["1"]["within"] for n in names]
    assert metrics[-1].startswith("| *within tolerance* |")
    assert all(f"{w}/{len(METRICS)}" in metrics[-1] for w in within)

    summary = summary_table(report).splitlines()
    assert summary[0] == "| model | T=0 | T=1 |"
    assert [line.split(" | ")[0] for line in summary[2:]] == [f"| {n}" for n in names]

    verdict = verdict_lines(report)
    assert verdict[0].startswith("- Likelihood: tiny does **not** beat ")
    assert verdict[1].startswith(f"- Continuations at T=1: tiny has {within[0]}/{len(METRICS)}")
    assert [line.split(":")[0] for line in verdict[2:]] == [f"- {n}" for n in names[1:]]
