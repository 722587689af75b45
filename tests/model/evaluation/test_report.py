"""A report as documents: a model card's section (from this version's reports and from
version 1's), and the words of the markdown."""

from __future__ import annotations

import json
from pathlib import Path

from segue.cli import main
from segue.model.evaluation.report import REPORT_VERSION, card_section, upgraded
from segue.model.metrics import METRICS


def test_a_models_card_carries_its_evaluation(first_run: dict, tiny: dict[str, Path]) -> None:
    models = tiny["root"] / "installed"
    args = ["models", "add", str(tiny["model"]), "--name", "tiny", "--models-dir", str(models)]
    assert main([*args, "--summary", "A tiny test model", "--data-note", "Test files."]) == 0
    assert "## Evaluation" not in (models / "tiny.md").read_text(encoding="utf-8")
    # the installed model installed again with the report: the card gains its tables,
    # and keeps what it said
    args[2] = str(models / "tiny.pt")
    assert main([*args, "--force", "--evaluation", str(first_run["report"])]) == 0
    card = (models / "tiny.md").read_text(encoding="utf-8")
    assert card.startswith("# tiny\n\nA tiny test model\n") and "Test files." in card
    section = card[card.index("## Evaluation") :]
    report = json.loads(first_run["json"].read_text(encoding="utf-8"))
    total = report["nll"]["tiny"]["nats"]["total"]
    assert "| tiny | segue | " in section and f"{total:.3f}" in section
    assert "| other |" in section and "Metrics within tolerance" in section
    # not a report: refused in one line, nothing replaced
    assert main([*args, "--force", "--evaluation", str(tiny["dataset"])]) == 1
    assert (models / "tiny.md").read_text(encoding="utf-8") == card


def _as_version_1(report: dict) -> dict:
    """The report as segue wrote it before "figures" became "metrics"."""

    def renamed(d: dict) -> dict:
        return {("figures" if k == "metrics" else k): v for k, v in d.items()}

    old = renamed(report)
    old["version"] = 1
    old["continuations"] = {
        name: {t: renamed(run) for t, run in runs.items()}
        for name, runs in report["continuations"].items()
    }
    return old


def test_a_version_1_report_reads_as_the_current_one(
    first_run: dict, tmp_path: Path, tiny: dict[str, Path]
) -> None:
    report = json.loads(first_run["json"].read_text(encoding="utf-8"))
    assert report["version"] == REPORT_VERSION == 2
    old = _as_version_1(report)
    assert "metrics" not in old and "figures" in old["continuations"]["tiny"]["1"]
    assert upgraded(old) == report
    assert upgraded(report) is report
    assert card_section(old) == card_section(report)
    # and `segue models add --evaluation` takes a folder holding one
    folder = tmp_path / "old-report"
    folder.mkdir()
    (folder / "report.json").write_text(json.dumps(old), encoding="utf-8")
    models = tmp_path / "models"
    args = ["models", "add", str(tiny["model"]), "--name", "old", "--models-dir", str(models)]
    assert main([*args, "--evaluation", str(folder)]) == 0
    assert card_section(report) in (models / "old.md").read_text(encoding="utf-8")


def test_the_markdown_defines_every_metric(first_run: dict) -> None:
    text = (first_run["report"] / "report.md").read_text(encoding="utf-8")
    definitions = text[text.index("## Metrics\n") :]
    for metric in METRICS:
        assert f"- **{metric.label}** ({metric.unit}): {metric.definition}" in definitions
    assert "figure" not in text.lower()
