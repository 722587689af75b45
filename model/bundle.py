"""Install a trained run as a named model: compact weights and a model card.

The card is written from what the checkpoint itself records (data, sizes,
training command, validation loss per field), so it cannot drift from the
weights it describes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from segue.errors import SegueError
from segue.files import write_file_atomically
from segue.model.architecture import DEFAULT_ARCHITECTURE
from segue.model.checkpoint import LoadedModel, load_checkpoint, save_checkpoint
from segue.model.registry import (
    case_twin,
    check_new_name,
    run_checkpoint,
    stray_card,
    twin_taken,
)
from segue.model.training.signals import stops_held
from segue.model.tuning.install import finish_cards, installed_whole

FIELD_ORDER = ("offset", "pitch", "duration", "velocity", "total")


def _folders(summary: str) -> list[str]:
    match = re.search(r"from \d+ folders?: (.+)", summary)
    if not match:
        return []
    return [Path(p.strip()).name for p in match.group(1).split(",")]


def _counts(summary: str) -> str:
    lines = summary.splitlines()
    table = [ln for ln in lines if re.match(r"\s+(split|train|valid|test|total)\b", ln)]
    return "\n".join(ln.rstrip() for ln in table)


def model_card(
    name: str,
    summary: str,
    info: dict[str, Any],
    size_bytes: int,
    data_note: str = "",
    evaluation: dict[str, Any] | None = None,
) -> str:
    """Markdown describing a model, from the ``info`` its checkpoint carries, and from
    a ``segue eval`` report of it when one is given."""
    config = info.get("config", {})
    best = info.get("best", {})
    history = {h["epoch"]: h for h in info.get("history", [])}
    at_best = history.get(best.get("epoch"), {})
    dataset = info.get("dataset", {}).get("summary", "")
    commands = [" ".join(c) for c in info.get("commands", []) if c] or [""]
    rows = []
    for split in ("train", "valid"):
        losses = at_best.get(split) or {}
        if losses:
            rows.append(
                f"| {split} | "
                + " | ".join(f"{losses.get(f, float('nan')):.3f}" for f in FIELD_ORDER)
                + " |"
            )
    lines = [
        f"# {name}",
        "",
        summary,
        "",
        "## Data",
        "",
        f"Folders of MIDI files: {', '.join(_folders(dataset))}.",
        data_note,
        "",
        "```",
        _counts(dataset),
        "```",
        "",
        *model_section(config, info.get("parameters", 0), size_bytes),
        "## Training",
        "",
        *[
            line
            for i, c in enumerate(commands)
            for line in (f"`{c}`" + (" (resumed)" if i else ""), "")
        ],
        f"Augmentation: transposition {config.get('transpose')} semitones, velocity shift "
        f"{config.get('velocity_shift')}. Best epoch {best.get('epoch')} (the weights kept), "
        f"reached after {_duration(info.get('seconds', 0))} on {info.get('device')} "
        f"(torch {info.get('torch_version')}).",
        "",
        "## Loss per note field at the best epoch (nats per note)",
        "",
        "| split | " + " | ".join(FIELD_ORDER) + " |",
        "|---" * (len(FIELD_ORDER) + 1) + "|",
        *rows,
        "",
    ]
    memory = info.get("memory")
    if memory:
        from segue.model.likelihood import memory_table

        lines += [
            "## Clip memory",
            "",
            f"Fitted on {_fitted_on(memory, 'segue memory')}: each weight is the chance that "
            "the next note copies what followed an earlier occurrence of the clip's latest "
            f"notes, by how many notes match. {memory.get('notes', 0):,} notes: "
            f"{memory.get('nats_before', float('nan')):.3f} nats/note with the network alone, "
            f"{memory.get('nats_after', float('nan')):.3f} with the memory.",
            "",
            memory_table(memory.get("per_bucket", [])),
            "",
        ]
        if memory.get("pitch_class_weight"):
            lines += [
                "Fitted with it: the pull of the clip's pitch classes on the network's "
                "pitch, `p ~ p_network * share ** beta` with beta "
                f"{memory['pitch_class_weight']:g}, where share is how common the pitch's "
                "class has been in the clip so far (it keeps continuations near the seed's "
                "harmony).",
                "",
            ]
        if memory.get("views"):
            lines += [
                "Fitted after it, the memory's views (`segue.model.memory_views`), "
                "each weight by match length as above: "
                + "; ".join(
                    f"{name} {', '.join(f'{w:g}' for w in weights)}"
                    for name, weights in memory["views"].items()
                )
                + f". Without them: {memory.get('nats_without_views', float('nan')):.3f} "
                "nats/note.",
                "",
            ]
    if info.get("loop"):
        lines += loop_section(info["loop"])
    if info.get("palette"):
        lines += palette_section(info["palette"])
    if evaluation is not None:
        from segue.model.evaluation.report import card_section

        lines += [card_section(evaluation), ""]
    return "\n".join(lines)


def model_section(config: dict[str, Any], parameters: int, size_bytes: int) -> list[str]:
    """A card's lines on the network: its sizes from ``config`` (a training run's, or the
    checkpoint's own), its ``parameters`` and its file's ``size_bytes``."""
    heads = (
        "chained (offset -> pitch -> duration, velocity)"
        if config.get("chained")
        else "independent"
    )
    return [
        "## Model",
        "",
        f"{config.get('architecture', DEFAULT_ARCHITECTURE).upper()} {config.get('layers')} x "
        f"{config.get('hidden')}, embeddings "
        f"{config.get('embed')}, dropout {config.get('dropout')}, heads {heads}"
        f", bar position {'seen' if config.get('bar_position') else 'hidden'}; "
        f"{parameters:,} parameters, {size_bytes / 1e6:.1f} MB (float16 weights).",
        "",
    ]


def tuned_model_card(
    name: str,
    loaded: LoadedModel,
    size_bytes: int,
    summary: str = "",
    data_note: str = "",
    evaluation: dict[str, Any] | None = None,
) -> str:
    """The card of a tuned model (``segue tune``, a Learn) installed again: its tuning's
    card rebuilt from the record its checkpoint keeps, the network from the checkpoint's
    own configuration, a ``summary`` other than its own and a ``data_note`` given for it, and a
    ``segue eval`` report's tables. :func:`model_card` reads a training run's record, which
    a tuned checkpoint has not: its card said "LSTM None x None ... Best epoch None"."""
    from segue.model.tuning.install import tuned_card

    card = tuned_card(name, loaded)
    lines = [
        card.markdown(),
        *model_section(
            loaded.config.to_dict(), sum(p.numel() for p in loaded.model.parameters()), size_bytes
        ),
    ]
    given = [note for note in (summary, data_note) if note and note != card.line()]
    if given:
        lines += ["## Notes", "", *given, ""]
    if evaluation is not None:
        from segue.model.evaluation.report import card_section

        lines += [card_section(evaluation), ""]
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    """A run's time as a card says it: "40 s" under a minute and a half ("0 minutes" was
    said of a short run), else whole minutes."""
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} minutes"


SPLIT_WORDS = {"valid": "validation", "train": "training", "test": "test"}


def _fitted_on(fit: dict[str, Any], command: str, more: str = "") -> str:
    """What a fit (its info: ``dataset``, ``split``) was made on and the command that made
    it, ``more`` said of it after the command: a card said "the validation split" of a
    memory fitted with `--split train`."""
    split = str(fit.get("split", "valid"))
    if split not in SPLIT_WORDS:  # a tuning's: "held out"
        return f"the {split.replace(' ', '-')} pieces" + (f" ({more.lstrip(': ')})" if more else "")
    option = "" if split == "valid" else f" --split {split}"
    return f"the {SPLIT_WORDS[split]} split (`{command}{option}`{more})"


def loop_section(loop: dict[str, Any]) -> list[str]:
    """A card's lines on its fitted loop (``segue.model.loop_fit.LoopFit.to_info``)."""
    from segue.model.loop_fit import rates_markdown

    return [
        "## The loop",
        "",
        "Fitted on windows of "
        + _fitted_on(
            loop, "segue memory --loop", ": 4 bars of clip, the 4 bars after it, every 4 bars"
        )
        + ": after the clip, each note may repeat what the "
        "clip played one loop earlier, as often as the material does in each cell below "
        "(how much the clip repeats itself at 1 and 2 bars, and whether the note falls in "
        "the last bar of a 4-bar phrase); where it does not, the clip memory may play what "
        "followed the same notes elsewhere in the clip, or else the network plays something "
        f"else. {_strength_sentence(loop)} A repeated "
        f"note takes another duration {loop['slip']:.1%} of the time and another velocity "
        f"{loop.get('velocity_slip', 0.0):.1%}. {loop.get('windows', 0):,} windows, "
        f"{loop.get('notes', 0):,} notes.",
        "",
        *(
            [
                "Generation draws each note's repeat at its cell's rate (`repeats`). The "
                "likelihood also counts the two notes before (the last columns, in time "
                "order: `own` is a note of the continuation's own): a variation runs for "
                "a few notes before the loop comes back.",
                "",
            ]
            if loop.get("after")
            else []
        ),
        rates_markdown(loop["phi"], loop.get("after", ()), loop["counts"]),
        "",
        "How continuations of those windows keep the loop at each strength tried:",
        "",
        "| strength | note F1 / repeat's | diversity | exact repeats (real) |",
        "|---:|---:|---:|---:|",
        *[
            f"| {k} | {v['keep']:.3f} | {v['diversity']:.3f} | {v['exact']:.3f} "
            f"({v['real_exact']:.3f}) |"
            for k, v in loop.get("scores", {}).items()
        ],
        "",
    ]


def _strength_sentence(loop: dict[str, Any]) -> str:
    """How generation keeps the loop: where it is sharpened, and why that strength."""
    strength = f"strength {loop['strength']:g} (`1 - (1 - rate) ** strength`)"
    if loop.get("takes"):
        return (
            f"Each take keeps the loop at the rate sharpened with {strength} everywhere but "
            "in one eighth of the last bar of every 4-bar phrase, a different one for each "
            "take, where it keeps the loop's rhythm and plays other pitches, each within "
            "an octave of the loop's and on its side of the loop's median pitch, and takes "
            "that turn the same note play different pitches; where the "
            "loop starts no note in that bar (a rest, or a note held through it), each "
            "take answers with one note of its own where the clip plays in its other bars "
            "(`segue.model.takes`). The strength is the strongest tried that "
            "keeps 90% of the note F1 of repeating the clip on these windows while the "
            "continuations still differ from each other and repeat the clip exactly no "
            "more often than the real ones."
        )
    return (
        f"Inside a phrase the rate is sharpened with {strength}, the smallest that keeps "
        "90% of the note F1 of repeating the clip on these windows while the "
        "continuations differ from each other and repeat the clip exactly no more often "
        "than the real ones."
    )


def palette_section(palette: dict[str, Any]) -> list[str]:
    """A card's lines on its palette (``segue.model.palette_fit``'s gain)."""
    return [
        "## The palette",
        "",
        "Where the network plays a note of its own (not the loop's, not the clip "
        "memory's), its offset, pitch and length are drawn from a mixture of the network "
        "and the clip's palette, the share of each among the clip's notes so far. The "
        "weights are fitted on each clip's own notes when it is continued (EM on the "
        "seed: a clip like this model's material keeps the network, a foreign one leans "
        "on its palette). Continuations of the windows of the "
        f"{palette.get('split', 'valid')} split ({palette.get('windows', 0):,} windows, "
        f"offset + pitch + duration): {palette['without']:.3f} nats per note without it, "
        f"{palette['with']:.3f} with it (`segue memory --palette`).",
        "",
    ]


def _check_evaluated(report: dict[str, Any], source: Path, loaded: Any, folder: Path) -> None:
    """Refuse a report of another model for this one's card: its evaluated model is this
    file, or at least a network of this shape (a report moved from another computer names
    a path there). `models add --evaluation` put a 2x256 drum model's scores on the card of
    a 2x64 melodic one."""
    evaluated = next((m for m in report.get("models", []) if m.get("kind") == "segue"), None)
    if evaluated is None:
        return
    try:
        same_file = Path(str(evaluated.get("path", ""))).resolve() == source.resolve()
    except (OSError, ValueError):  # (a name the file system's encoding cannot hold: a C
        same_file = False  # locale's ASCII, for a report of "Jörg's" folder)
    shape = f"segue LSTM {loaded.config.layers}x{loaded.config.hidden},"
    description = str(evaluated.get("description", ""))
    if not same_file and not description.startswith(shape):
        raise SegueError(
            f"{folder}: this report evaluated {evaluated.get('path')} ({description}), not "
            f"{source} (LSTM {loaded.config.layers}x{loaded.config.hidden}); evaluate this "
            "model (segue eval) and give that report"
        )


def read_evaluation(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A ``segue eval`` report (its folder or its report.json), checked to be one."""
    from segue.model.evaluation.folder import REPORT_JSON
    from segue.model.evaluation.report import REPORT_KIND

    file = Path(path)
    if file.is_dir():
        file = file / REPORT_JSON
    give = "give the folder that `segue eval -o REPORT_DIR` wrote"
    if not file.is_file():
        raise SegueError(f"{path}: cannot read an evaluation report (no {REPORT_JSON}); {give}")
    try:
        report = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SegueError(f"{file}: cannot read an evaluation report ({exc.strerror})") from None
    except ValueError:  # not JSON, or not text at all (a MIDI file given for the folder)
        report = None
    if not isinstance(report, dict) or report.get("kind") != REPORT_KIND:
        raise SegueError(f"{file} is not a report written by `segue eval`; {give}")
    return report


def install_model(
    checkpoint: str | os.PathLike[str],
    name: str,
    models_dir: str | os.PathLike[str],
    summary: str,
    data_note: str = "",
    force: bool = False,
    evaluation: str | os.PathLike[str] | None = None,
) -> tuple[Path, Path]:
    """Write ``models_dir/name.pt`` (float16 weights, no training state) and its card.

    An empty ``summary`` or ``data_note`` keeps what the checkpoint already
    records (installing an installed model again, say with an ``evaluation``
    report folder to put in its card).
    """
    check_new_name(name)
    source = run_checkpoint(checkpoint)
    out_dir = Path(models_dir)
    twin = case_twin(out_dir, name)
    if twin is not None:  # one file on macOS and Windows: --force replaced it as another name
        raise SegueError(twin_taken(name, twin, f"--name {twin} --force" if force else ""))
    out, card = out_dir / f"{name}.pt", out_dir / f"{name}.md"
    if out.exists() and not force:
        raise SegueError(f"{out} already exists; choose another name or use --force")
    if not force:
        stray_card(card, out, "--force")
    report = read_evaluation(evaluation) if evaluation is not None else None
    loaded = load_checkpoint(source)
    if report is not None:
        _check_evaluated(report, source, loaded, Path(evaluation or ""))
    info = dict(loaded.info)
    summary = summary or info.get("summary") or f"segue model {name}"
    data_note = data_note or info.get("data_note", "")
    info["summary"], info["data_note"] = summary, data_note
    info.pop("dataset_path", None)
    if "dataset" in info:
        info["dataset"] = {"summary": info["dataset"].get("summary", "")}
    existed = out.exists()
    finish_cards(out_dir)  # a killed tuning's card, before this write's sweep removes it
    # Ctrl-C or SIGTERM between them left the weights without their card
    with stops_held(installed_whole(name, out)):
        save_checkpoint(out, loaded.model, info, half=True)
        if "tuned" in info:
            text = tuned_model_card(name, loaded, out.stat().st_size, summary, data_note, report)
        else:
            text = model_card(name, summary, info, out.stat().st_size, data_note, report)
        try:
            write_file_atomically(card, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        except BaseException:
            if not existed:  # no weights without their card, so a second try is not refused
                out.unlink(missing_ok=True)
            raise
    return out, card
