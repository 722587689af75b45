"""Checkpoints: weights plus the full configuration, loaded without pickled code.

A checkpoint is a plain dict of tensors, numbers, strings, lists and dicts, so
``torch.load(weights_only=True)`` reads it. Writing goes to a temporary file
that is renamed into place: a kill mid-write never leaves a broken file.
"""

from __future__ import annotations

import errno
import os
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from segue.errors import SegueError
from segue.files import write_file_atomically
from segue.model.architecture import ModelConfig, Network
from segue.model.architectures import UnknownArchitecture, build_network

FORMAT = "segue-checkpoint"
FORMAT_VERSION = 1


class CheckpointError(SegueError):
    """A checkpoint file is missing, damaged or from an incompatible version."""


class WeightsMisfit(CheckpointError):
    """A checkpoint's weights do not fit the model its settings describe (damaged, edited)."""


@dataclass
class LoadedModel:
    model: Network
    config: ModelConfig
    info: dict[str, Any]
    """Everything else stored with the weights: training data, losses, card text."""
    path: Path


def save_checkpoint(
    path: str | os.PathLike[str],
    model: Network,
    info: dict[str, Any] | None = None,
    training_state: dict[str, Any] | None = None,
    half: bool = False,
) -> Path:
    """Write weights, configuration and ``info`` atomically.

    ``half`` stores float weights as float16 (half the size; they are widened
    back to float32 on load). ``training_state`` (optimizer, epoch, ...) lets
    training resume.
    """
    out = Path(path)
    state = {
        k: (v.half() if half and v.is_floating_point() else v).detach().cpu().clone()
        for k, v in model.state_dict().items()
    }
    payload: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "config": model.config.to_dict(),
        "state_dict": state,
        "info": info or {},
    }
    if training_state is not None:
        payload["training_state"] = training_state
    return write_file_atomically(out, lambda tmp: _save(payload, tmp, out))


def _save(payload: dict[str, Any], tmp: Path, out: Path) -> None:
    """``torch.save``, its failure to write said as the ``OSError`` it is: PyTorch's writer
    raises RuntimeError ("[enforce fail at inline_container.cc] ... open file failed ...
    Permission denied", "unexpected pos" on a full disk), which came out as a traceback
    after a whole tuning (helper-50)."""
    try:
        torch.save(payload, tmp)
    except RuntimeError as exc:
        text = str(exc)
        if "Permission denied" in text:
            raise PermissionError(errno.EACCES, "no permission to write it", str(out)) from None
        if "inline_container" in text or "No space" in text:
            raise OSError(
                errno.ENOSPC, "it could not be written whole (is the disk full?)", str(out)
            ) from None
        raise


def rewrite_checkpoint(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    config: dict[str, Any] | None = None,
    info: dict[str, Any] | None = None,
) -> Path:
    """Write ``source`` to ``target`` (atomically; they may be the same file) with entries of
    its configuration and info replaced. Weights and training state are kept as stored."""
    payload = read_checkpoint(source)
    payload["config"] = {**payload["config"], **(config or {})}
    payload["info"] = {**payload.get("info", {}), **(info or {})}
    return write_file_atomically(Path(target), lambda tmp: torch.save(payload, tmp))


def unreadable_reason(exc: BaseException) -> str:
    """A short reason why torch.load failed, without its advice on unsafe loading."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    if isinstance(exc, EOFError) or "central directory" in text or "zip archive" in text:
        return "the file is empty, truncated or damaged"
    if isinstance(exc, zipfile.BadZipFile):
        return f"damaged archive: {text.splitlines()[0] if text else 'unreadable'}"
    found = re.search(r"Unsupported global: GLOBAL (\S+)", text)
    if found:
        return f"it holds Python objects ({found.group(1)}), not plain checkpoint data"
    return "damaged, or another kind of file"  # torch's own words would mean nothing here


def read_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The raw checkpoint dict, checked for format and version."""
    p = Path(path)
    if not p.exists():
        raise CheckpointError(f"{p}: no such checkpoint file")
    if p.is_dir():
        raise CheckpointError(f"{p}: is a folder; name a .pt checkpoint file inside it")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. pickle-protocol notes on foreign files
            payload = torch.load(p, map_location="cpu", weights_only=True)
    except PermissionError:
        raise CheckpointError(f"{p}: permission denied") from None
    except Exception as exc:  # torch.load raises many kinds on a foreign or damaged file
        reason = unreadable_reason(exc)
        raise CheckpointError(f"{p}: not a readable segue checkpoint ({reason})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{p}: not a segue checkpoint")
    version = payload.get("version")
    if version != FORMAT_VERSION:
        raise CheckpointError(
            f"{p}: checkpoint format version {version} is not supported by this segue "
            f"(it reads version {FORMAT_VERSION}); retrain it or use a matching segue"
        )
    return payload


def _shape(size: torch.Size) -> str:
    return "x".join(map(str, size)) or "a number"


def misfit(wanted: dict[str, torch.Size], state: dict[str, Any]) -> str | None:
    """How the weights ``state`` do not fit the shapes ``wanted`` (of the model the
    checkpoint's own settings describe: :func:`shapes`), in a few words; None when they fit."""
    for key, tensor in state.items():
        if not isinstance(tensor, torch.Tensor):
            return f"{key} is not a tensor"
        if key not in wanted:
            return f"{key} is in the file, not in the model its settings describe"
        if tensor.shape != wanted[key]:
            stored, built = _shape(tensor.shape), _shape(wanted[key])
            return f"{key} is {stored} in the file, {built} by its settings"
    missing = [key for key in wanted if key not in state]
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        return f"{missing[0]}{more} missing from the file"
    return None


def shapes(model: Network) -> dict[str, torch.Size]:
    """The shape of each of ``model``'s weights, by name."""
    return {key: tensor.shape for key, tensor in model.state_dict().items()}


def misfit_error(path: str | os.PathLike[str], problem: str) -> WeightsMisfit:
    """One line for a model whose weights do not fit its settings: which model, what is
    wrong and what to do (PyTorch's own account ran over many lines of sizes)."""
    from segue.model.registry import how_to_replace, model_called

    return WeightsMisfit(
        f"{path}: the weights of {model_called(path)} do not match its settings "
        f"({problem}): a damaged or edited file; {how_to_replace(path)}"
    )


def fitting_weights(
    payload: dict[str, Any],
    path: str | os.PathLike[str],
    known: dict[str, dict[str, torch.Size]] | None = None,
) -> CheckpointError | None:
    """The error to say of a checkpoint (read by :func:`read_checkpoint`) whose weights do
    not fit its settings, or whose settings cannot build a model; None when they fit. It
    builds the network its settings describe (5 to 15 ms), once for each settings in
    ``known`` (the shapes by settings, filled as it goes: a musician's models share a few),
    so that ``segue models`` marks such a file at little cost."""
    try:
        key = repr(sorted(payload["config"].items()))
        if known is None or key not in known:
            wanted = shapes(build_network(ModelConfig.from_dict(payload["config"])))
            if known is not None:
                known[key] = wanted
        else:
            wanted = known[key]
        state = payload["state_dict"]
        problem = misfit(wanted, state) if isinstance(state, dict) else "no table of weights"
    except UnknownArchitecture as exc:
        return CheckpointError(f"{path}: {exc}")
    except (KeyError, TypeError, ValueError, RuntimeError, AttributeError) as exc:
        return misfit_error(path, _short(exc))
    return None if problem is None else misfit_error(path, problem)


def _short(exc: BaseException) -> str:
    reason = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    return reason[:197] + "..." if len(reason) > 200 else reason


def load_checkpoint(path: str | os.PathLike[str], device: str = "cpu") -> LoadedModel:
    """Build the model a checkpoint describes and load its weights (float32, eval mode)."""
    payload = read_checkpoint(path)
    try:
        config = ModelConfig.from_dict(payload["config"])
        model = build_network(config)
        state = {
            k: v.float() if v.is_floating_point() else v for k, v in payload["state_dict"].items()
        }
        problem = misfit(shapes(model), state)
        if problem is not None:
            raise misfit_error(path, problem)
        model.load_state_dict(state)
    except UnknownArchitecture as exc:
        raise CheckpointError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError, RuntimeError, AttributeError) as exc:
        raise misfit_error(path, _short(exc)) from None
    info = payload.get("info", {})
    if not isinstance(info, dict):
        raise CheckpointError(f"{path}: the checkpoint's information is damaged (not a table)")
    broken = [k for k, v in state.items() if v.is_floating_point() and not v.isfinite().all()]
    if broken:
        raise CheckpointError(
            f"{path}: weights that are not numbers (nan or inf) in {broken[0]}"
            f"{f' and {len(broken) - 1} more' if len(broken) > 1 else ''}: a training that "
            "diverged? Use an earlier checkpoint, or train again with a lower --lr"
        )
    model.to(device).eval()
    return LoadedModel(model, config, dict(info), Path(path))
