"""A report folder: report.md, report.json, the plots and a pitch-only LSTM trained in the
run, written atomically, and never over a folder that holds something else."""

from __future__ import annotations

import json
import os
from pathlib import Path

from segue.files import check_replaceable, write_folder_atomically
from segue.grid import TICKS_PER_BEAT
from segue.model.baselines.pitch_only import save_pitch_lstm
from segue.model.evaluation.report import REPORT_KIND, markdown_report, report_json
from segue.model.evaluation.run import EvalResult
from segue.model.evaluation.settings import temperature_key
from segue.model.metrics import as_notes
from segue.model.plots import REAL_COLOUR, Lane, plot_histograms, plot_metrics, plot_piano_roll

REPORT_MD = "report.md"
REPORT_JSON = "report.json"
PITCH_ONLY_FILE = "pitch_only.pt"


def _is_report(folder: Path) -> bool:
    try:
        data = json.loads((folder / REPORT_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("kind") == REPORT_KIND


def check_report_dir(folder: Path, force: bool) -> None:
    """Refuse an existing folder unless forced, and never replace one that holds no report."""
    check_replaceable(folder, force, "a segue eval report", _is_report)


def write_plots(result: EvalResult, folder: Path) -> list[str]:
    """The plots at the recommended temperature, as paths relative to ``folder``: pooled
    histograms, the metrics, and a piano roll of each example."""
    report = result.report
    t = temperature_key(report["settings"]["recommended_temperature"])
    written = []
    if result.histograms:
        plot_histograms(result.histograms, t, folder / "histograms.png")
        written.append("histograms.png")
    if report["pieces"]["used"]:
        plot_metrics(report, t, folder / "metrics.png")
        written.append("metrics.png")
    for number, example in enumerate(result.examples, start=1):
        stem = Path(example.source).stem.replace(" ", "_")[:40]
        name = f"examples/{number:02d}-{stem}.png"
        case = example.case
        lanes = [
            Lane("real", as_notes(example.real), REAL_COLOUR),
            *(Lane(model, as_notes(rows)) for model, rows in example.models.items()),
        ]
        plot_piano_roll(
            case.seed_clip(),
            lanes,
            folder / name,
            end=(case.seed_ticks + case.span_ticks) / TICKS_PER_BEAT,
            title=f"{example.source} at T={t}",
            caption="beats (seed in blue; after the black line, the real continuation in "
            "green and each model's first sample in orange)",
        )
        written.append(name)
    return written


def write_report(
    result: EvalResult, folder: str | os.PathLike[str], force: bool = False, plots: bool = True
) -> list[Path]:
    """Write report.md, report.json, the plots and a pitch-only LSTM trained in the run.

    Everything goes to a fresh folder beside ``folder`` that then takes its
    place, so a failure never leaves half a report.
    """
    out = Path(folder)
    check_report_dir(out, force)

    def write(tmp: Path) -> None:
        names = write_plots(result, tmp) if plots else []
        if result.pitch_only is not None:
            save_pitch_lstm(
                tmp / PITCH_ONLY_FILE,
                result.pitch_only,
                {
                    "dataset": result.report["dataset"]["path"],
                    "training": result.report["baselines"]["pitch-only"]["training"],
                },
            )
        (tmp / REPORT_MD).write_text(markdown_report(result.report, names), encoding="utf-8")
        (tmp / REPORT_JSON).write_text(report_json(result.report), encoding="utf-8")

    write_folder_atomically(out, write, lambda: check_report_dir(out, force))
    return sorted(p for p in out.rglob("*") if p.is_file())
