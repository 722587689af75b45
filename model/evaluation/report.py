"""A report as documents: the whole markdown report, a model card's section, what
`segue eval` prints, and the JSON; reports of earlier versions read as current ones.

A report is plain data (dicts, lists, numbers, strings), the ``report`` of
:class:`segue.model.evaluation.run.EvalResult`. Version 1 called the metrics
"figures" (the key of their definitions and of each run's metrics); :func:`upgraded`
reads it as version 2, so the reports behind existing model cards stay readable.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from segue.model.evaluation.settings import temperature_key
from segue.model.evaluation.tables import (
    NOT_CONTINUED,
    continued,
    loop_table,
    metric_table,
    nll_table,
    summary_table,
    verdict_lines,
)
from segue.model.metrics import LOOP_METRICS, METRICS

REPORT_KIND = "segue-eval-report"
REPORT_VERSION = 2


def upgraded(report: dict[str, Any]) -> dict[str, Any]:
    """The report in the current version (a version 1 report's "figures" are "metrics")."""
    if report.get("version", REPORT_VERSION) >= REPORT_VERSION:
        return report

    def renamed(d: dict[str, Any]) -> dict[str, Any]:
        return {("metrics" if k == "figures" else k): v for k, v in d.items()}

    new = renamed(report)
    new["continuations"] = {
        name: {t: renamed(run) for t, run in runs.items()}
        for name, runs in report.get("continuations", {}).items()
    }
    new["version"] = REPORT_VERSION
    return new


def _copies_left_out(report: dict[str, Any]) -> str:
    copies = report["dataset"].get("test_copies_left_out", 0)
    return f" ({copies} more left out: the same notes as a training piece)" if copies else ""


def markdown_report(report: dict[str, Any], plots: Sequence[str] = ()) -> str:
    """The whole report as markdown."""
    s = report["settings"]
    pieces = report["pieces"]
    skipped = ", ".join(f"{n} {r}" for r, n in pieces["skipped"].items()) or "none"
    title = f"{report['models'][0]['name']} on {Path(report['dataset']['path']).name}"
    parts = [
        f"# segue evaluation: {title}",
        "",
        f"Dataset `{report['dataset']['path']}`: {report['dataset']['test_pieces']} test pieces"
        f"{_copies_left_out(report)}, "
        f"{report['dataset']['test_notes']:,} test notes; {report['dataset']['train_notes']:,} "
        f"training notes. Made {report['created']} by segue {report['segue_version']} in "
        f"{report['seconds']:.0f} s.",
        "",
        "## Models",
        "",
    ]
    parts += [
        f"- **{m['name']}** ({m['kind']}): {m['description']}"
        + (f" — `{m['path']}`" if m["path"] else "")
        for m in report["models"]
    ]
    parts += [
        "",
        "## Held-out negative log-likelihood per note (test split)",
        "",
        "Nats per note for each field, bits in brackets; lower is better. Each test piece is "
        "read from its first note to its last with the state carried (no windows). The fields "
        "are classes of segue's vocabulary (offset and duration on the 24-tick grid, velocity "
        "in bins of 4) for every model. The pitch-only model's offset, duration and velocity "
        "come from the training split's unigram distributions (Witten-Bell smoothed with a "
        "uniform one); the n-gram model predicts each field from that field's own previous "
        "values (orders chosen on the validation split).",
        "",
        nll_table(report),
        "",
        "## Continuations",
        "",
        f"{pieces['used']} of {pieces['split']} test pieces (left out: {skipped}). Seed: the "
        f"first {s['seed_bars']:g} bars; continuation: the next {s['bars']:g} bars, "
        f"{s['samples']} sample{'s' * (s['samples'] != 1)} per seed (1 when greedy, T=0), "
        f"top-p {s['top_p']:g}, random "
        f"seed {s['rng_seed']}. Each metric is averaged over a seed's samples, then over the "
        "seeds; the real column is the composer's continuation of the same seeds, measured the "
        f"same way. ✓ = within tolerance: no further from the real mean than "
        f"{s['tolerance'] * 100:g}% of it or {s['spread']:g} × its standard deviation across "
        "pieces, whichever is larger.",
        "",
        *(
            ["### Metrics within tolerance, per temperature", "", summary_table(report), ""]
            if continued(report)
            else [f"Not measured, as {NOT_CONTINUED}.", ""]
        ),
        "### Verdict",
        "",
        *verdict_lines(report),
        "",
    ]
    for t in report["continuations"][report["models"][0]["name"]] if continued(report) else ():
        mark = " (recommended)" if float(t) == s["recommended_temperature"] else ""
        parts += [f"### T={t}{mark}", "", metric_table(report, t), ""]
        if loops := loop_table(report, t):
            parts += [loops, ""]
    parts += ["## Metrics", ""]
    parts += [f"- **{m.label}** ({m.unit}): {m.definition}" for m in METRICS + LOOP_METRICS]
    if plots:
        parts += ["", "## Plots", ""]
        parts += [f"![{Path(p).stem}]({p})" for p in plots]
    return "\n".join(parts) + "\n"


def card_section(report: dict[str, Any]) -> str:
    """The evaluation as a model card's section: likelihood, metrics at the recommended
    temperature, the per-temperature summary and the verdict. Reads every version."""
    report = upgraded(report)
    s, pieces = report["settings"], report["pieces"]
    t = temperature_key(s["recommended_temperature"])
    baselines = ", ".join(m["name"] for m in report["models"][1:]) or "none"
    return "\n".join(
        [
            "## Evaluation (`segue eval`)",
            "",
            f"Test split of `{Path(report['dataset']['path']).name}`: "
            f"{report['dataset']['test_pieces']} pieces{_copies_left_out(report)}, "
            f"{report['dataset']['test_notes']:,} "
            f"notes; baselines (each described below): {baselines}. Made {report['created']} "
            f"by segue {report['segue_version']}.",
            "",
            *[f"- **{m['name']}** ({m['kind']}): {m['description']}" for m in report["models"]],
            "",
            "Held-out negative log-likelihood per note, nats (bits):",
            "",
            nll_table(report),
            "",
            f"Continuations of {pieces['used']} test pieces: {s['samples']} "
            f"sample{'s' * (s['samples'] != 1)} of "
            f"{s['bars']:g} bars after the first {s['seed_bars']:g}, top-p {s['top_p']:g}; "
            f"metrics at T={t} beside the composer's continuation (✓ within "
            f"{s['tolerance'] * 100:g}% or {s['spread']:g} sd of it):",
            "",
            metric_table(report, t),
            "",
            *([loop_table(report, t), ""] if loop_table(report, t) else []),
            "Metrics within tolerance, per temperature:",
            "",
            summary_table(report),
            "",
            *verdict_lines(report),
        ]
    )


def console_report(report: dict[str, Any]) -> str:
    """What `segue eval` prints: the likelihood table, the metrics at the recommended
    temperature, the summary and the verdict."""
    t = temperature_key(report["settings"]["recommended_temperature"])
    if not continued(report):
        return "\n".join(
            ["Held-out NLL per note, nats (bits):", nll_table(report), "", *verdict_lines(report)]
        )
    return "\n".join(
        [
            "Held-out NLL per note, nats (bits):",
            nll_table(report),
            "",
            f"Continuation metrics at T={t} (recommended):",
            metric_table(report, t),
            "",
            *([loop_table(report, t), ""] if loop_table(report, t) else []),
            "Metrics within tolerance per temperature:",
            summary_table(report),
            "",
            *verdict_lines(report),
        ]
    )


def report_json(report: dict[str, Any]) -> str:
    """The report as JSON text (nan and infinities as null)."""

    def plain(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, np.generic):
            return plain(value.item())
        return value

    return json.dumps(plain(report), indent=1, ensure_ascii=False) + "\n"
