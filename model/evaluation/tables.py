"""The tables of a report as markdown: likelihood, metrics against the real continuations,
metrics within tolerance per temperature, and the verdict's lines."""

from __future__ import annotations

import math
from typing import Any

from segue.model.evaluation.settings import temperature_key
from segue.model.metrics import LOOP_METRICS, METRICS
from segue.model.vocab import FIELDS


def _num(value: float | None, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.{digits}f}"


def _zero(value: float) -> float:
    """The value, with rounding noise around zero (-0.0000001 nats) shown as 0."""
    return 0.0 if abs(value) < 5e-7 else value


def nll_table(report: dict[str, Any]) -> str:
    lines = [
        "| model | kind | offset | pitch | duration | velocity | total nats | total bits |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    best = min(v["nats"]["total"] for v in report["nll"].values())
    for model in report["models"]:
        if model["name"] not in report["nll"]:  # no likelihood: the repeat baseline
            continue
        values = report["nll"][model["name"]]
        nats, bits = values["nats"], values["bits"]
        cells = [f"{_zero(nats[f]):.3f} ({_zero(bits[f]):.3f})" for f in FIELDS]
        total = f"{nats['total']:.3f}"
        if nats["total"] == best:
            total = f"**{total}**"
        lines.append(
            f"| {model['name']} | {model['kind']} | "
            + " | ".join(cells)
            + f" | {total} | {_zero(bits['total']):.3f} |"
        )
    return "\n".join(lines)


def metric_table(report: dict[str, Any], temperature: str) -> str:
    """Rows: metrics; columns: the real continuation, its tolerance, each model."""
    names = [m["name"] for m in report["models"]]
    lines = [
        "| metric | real (mean ± sd) | tolerance | " + " | ".join(names) + " |",
        "|---|---:|---:|" + "---:|" * len(names),
    ]
    for m in METRICS:
        real = report["real"][m.key]
        cells = []
        for name in names:
            metric = report["continuations"][name][temperature]["metrics"][m.key]
            mark = "✓" if metric["within"] else "✗"
            cells.append(f"{_num(metric['mean'])} {mark}")
        lines.append(
            f"| {m.label} | {_num(real['mean'])} ± {_num(real['std'])} | "
            f"±{_num(report['tolerance'][m.key])} | " + " | ".join(cells) + " |"
        )
    within = [
        f"{report['continuations'][n][temperature]['within']}/{len(METRICS)}"
        + (" **all**" if report["continuations"][n][temperature]["all_within"] else "")
        for n in names
    ]
    lines.append("| *within tolerance* | | | " + " | ".join(within) + " |")
    return "\n".join(lines)


def loop_table(report: dict[str, Any], temperature: str) -> str:
    """Rows: the loop metrics; columns: the real continuation and each model (no tolerance:
    these describe how a continuation keeps the seed's loop). Empty for a report made
    before segue measured them."""
    keys = [m for m in LOOP_METRICS if m.key in report["real"]]
    if not keys:
        return ""
    names = [m["name"] for m in report["models"]]
    lines = [
        "| loop metric | real | " + " | ".join(names) + " |",
        "|---|---:|" + "---:|" * len(names),
    ]
    for m in keys:
        cells = [
            _num(report["continuations"][n][temperature]["metrics"][m.key]["mean"]) for n in names
        ]
        lines.append(
            f"| {m.label} | {_num(report['real'][m.key]['mean'])} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def summary_table(report: dict[str, Any]) -> str:
    """Rows: models; columns: temperatures; cells: metrics within tolerance."""
    temperatures = list(next(iter(report["continuations"].values())).keys())
    lines = [
        "| model | " + " | ".join(f"T={t}" for t in temperatures) + " |",
        "|---|" + "---:|" * len(temperatures),
    ]
    for model in report["models"]:
        runs = report["continuations"][model["name"]]
        cells = [
            f"{runs[t]['within']}/{len(METRICS)}" + (" all" if runs[t]["all_within"] else "")
            for t in temperatures
        ]
        lines.append(f"| {model['name']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


NOT_CONTINUED = (
    "no test piece is long enough for the seed and the continuation (lower --seed-bars or --bars)"
)


def continued(report: dict[str, Any]) -> bool:
    """Whether any test piece was continued: without one, every continuation figure is
    empty and a verdict on them would judge nothing."""
    return bool(report["pieces"]["used"])


def verdict_lines(report: dict[str, Any]) -> list[str]:
    v = report["verdict"]
    t = temperature_key(v["recommended_temperature"])
    lines = []
    beaten = [n for n, ok in v["nll_beats"].items() if ok]
    lost = [n for n, ok in v["nll_beats"].items() if not ok]
    if not v["nll_beats"]:
        lines.append(f"- Likelihood: {v['model']} has no baseline to compare with.")
    elif v["nll_beats_all"]:
        lines.append(
            f"- Likelihood: {v['model']} beats every baseline on held-out NLL per note "
            f"({', '.join(beaten)})."
        )
    else:
        lines.append(
            f"- Likelihood: {v['model']} does **not** beat {', '.join(lost)} on held-out "
            "NLL per note."
        )
    if not continued(report):
        return [*lines, f"- Continuations: not measured, as {NOT_CONTINUED}."]
    lines.append(
        f"- Continuations at T={t}: {v['model']} has {v['model_within']}/{len(METRICS)} "
        "metrics within tolerance" + (" (all)." if v["model_all_within"] else ".")
    )
    for name, temps in v["baselines_all_within"].items():
        where = (
            f"all metrics within at T={', '.join(temps)}"
            if temps
            else "never has all metrics within"
        )
        lines.append(f"- {name}: {where}.")
    return lines
