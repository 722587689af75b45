"""The models a bridge serves: chosen by name only, loaded once, kept in memory.

Names are looked up with :func:`segue.model.registry.find_model` without
``allow_path``, so no message can make the bridge open a file by a path it
carries. Loaded models are kept (a few at most) so switching is instant. The
name ``auto`` (the default) lets segue choose for each clip
(``segue.model.choice``): the installed models it chooses among are loaded once.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from segue.bridge.errors import ProtocolError
from segue.errors import SegueError
from segue.notes import Clip, Note

Loader = Callable[[Path], Any]


def load_path(path: Path) -> Any:
    from segue.model.checkpoint import load_checkpoint

    return load_checkpoint(path)


def prepare(loaded: Any) -> None:
    """Build a loaded model's generation step now rather than in the first request: the
    LSTM's fused step (its input tables and packed weights; ``segue.model.lstm_fused``).
    Anything but a ``LoadedModel`` (a test's loader) is left as it is. (A whole short
    generation as well saved nothing more that could be measured, for 140 ms more at
    start.)"""
    from segue.model.checkpoint import LoadedModel

    if isinstance(loaded, LoadedModel):
        loaded.model.stepper()


WARM_CLIP = Clip(tuple(Note(60 + 4 * i, float(i), 1.0, 100) for i in range(4)), 4.0)
"""The clip ``auto``'s choice reads once at start, so that its first real one is warm."""


class ModelCache:
    """Installed models by name; ``get`` loads on first use and keeps up to ``keep``."""

    def __init__(
        self,
        default: str,
        models_dir: str | os.PathLike[str] | None = None,
        keep: int = 4,
        loader: Loader = load_path,
    ) -> None:
        self.default = default
        self.models_dir = models_dir
        self._keep = max(1, keep)
        self._loader = loader
        self._loaded: OrderedDict[str, Any] = OrderedDict()
        self._summaries: dict[tuple[Path, float], str] = {}
        self._lock = threading.Lock()
        self._chooser: Any = None  # auto's, made on first use
        self._versions: dict[str, Any] = {}  # each loaded name's file version
        self._folders_seen = self._folders()  # what follow_folders compares with

    def entries(self) -> list[Any]:
        from segue.model.registry import list_models

        return list_models(self.models_dir)

    def summary(self, entry: Any) -> str:
        """The first line of a model's stored summary (read once per file version)."""
        from segue.model.checkpoint import read_checkpoint

        key = (entry.path, entry.path.stat().st_mtime)
        if key not in self._summaries:
            try:
                text = str(read_checkpoint(entry.path).get("info", {}).get("summary", ""))
            except SegueError:
                text = "(unreadable)"
            self._summaries[key] = (text.strip().splitlines() or [""])[0]
        return self._summaries[key]

    def resolve(self, name: str | None) -> str:
        """The model name to use (the default for '' or None); raises unknown_model."""
        from segue.model.choice import AUTO
        from segue.model.registry import find_model

        chosen = name or self.default
        if chosen == AUTO:
            return chosen
        try:
            find_model(chosen, self.models_dir, allow_path=False)
        except SegueError as exc:
            raise ProtocolError("unknown_model", str(exc)) from None
        return chosen

    def warm(self) -> None:
        """Load the default model (for ``auto``, every model it chooses among) and
        :func:`prepare` it, and for ``auto`` choose once for :data:`WARM_CLIP`, so that a
        missing or broken model is said at start and the first request waits for as little
        as it can: measured in one process, the first standard request took about 50 ms
        longer than the next ones without this, and 10-20 ms longer with it (85 ms more at
        start, for four models)."""
        from segue.model.choice import AUTO

        if self.default != AUTO:
            prepare(self.get(None))
            return
        chooser = self._auto()
        candidates = chooser.candidates()
        if not candidates:
            raise SegueError("no models installed to choose from (see `segue models`)")
        for loaded in candidates.values():
            prepare(loaded)
        chooser.choose(WARM_CLIP)

    def refresh(self) -> None:
        """Renew ``auto``'s candidates, so that a model installed since (a tuning) is among
        them at the next request, which loads that one alone (``ModelChooser.renewed``)."""
        with self._lock:
            if self._chooser is not None:
                self._chooser = self._chooser.renewed()

    def _auto(self) -> Any:
        from segue.model.choice import AUTO, ModelChooser

        with self._lock:
            if self._chooser is None:
                self._chooser = ModelChooser(AUTO, self.models_dir)
            return self._chooser

    def _folders(self) -> tuple[int | None, ...]:
        """The models' folders as they are now: their modification times (ns), which a
        model written, replaced or removed in them changes (tuned models arrive by rename)."""
        from segue.model.registry import BUNDLED_DIR, user_models_dir

        out: list[int | None] = []
        for folder in (BUNDLED_DIR, user_models_dir(), self.models_dir):
            try:
                out.append(None if folder is None else os.stat(folder).st_mtime_ns)
            except OSError:
                out.append(None)
        return tuple(out)

    def follow_folders(self) -> None:
        """Models installed, replaced or removed since (``segue tune`` in another terminal,
        ``segue models add``): a named model whose file changed is loaded again when next
        asked for, and ``auto`` chooses among the models as they are now (loading only the
        files that changed). A bridge kept serving a model's old weights after
        ``segue tune --replace``, and ``auto`` saw a model tuned from the command line only
        after a restart. Each request: a stat of each folder and of each loaded model's
        file (a file written over in place leaves its folder as it was); the folder listed
        again only when the folder changed."""
        from segue.model.choice import file_version
        from segue.model.registry import find_model

        seen = self._folders()
        with self._lock:
            moved, self._folders_seen = seen != self._folders_seen, seen
            for name in list(self._loaded):
                try:
                    where = (
                        find_model(name, self.models_dir, allow_path=False)
                        if moved
                        else Path(self._versions[name][0])
                    )
                    same = file_version(where) == self._versions.get(name)
                except (KeyError, OSError, SegueError):
                    same = False
                if not same:
                    del self._loaded[name]
            if self._chooser is not None and self._chooser.stale(listing=moved):
                self._chooser = self._chooser.renewed()

    def for_clip(self, name: str | None, clip: Clip, drums: bool = False) -> Any:
        """The loaded model that continues ``clip``: the one named, or with ``auto`` the one
        segue chooses for it (``drums``: the clip plays a drum track, which a named melodic
        model refuses, as ``segue generate`` does)."""
        from segue.model.choice import AUTO, is_drum_model

        self.follow_folders()
        chosen = name or self.default
        if chosen == AUTO:
            return self._auto()(clip, drums)
        loaded = self.get(name)
        if drums and not is_drum_model(loaded):
            raise ProtocolError(
                "melodic_model",
                f"the clip is a drum part, and {chosen} is a melodic model: its notes would "
                "play as drum pads; choose the drum model or auto",
            )
        return loaded

    def get(self, name: str | None) -> Any:
        """The loaded model (a ``LoadedModel``) for a name; loads it the first time."""
        from segue.model.choice import file_version
        from segue.model.registry import find_model

        chosen = name or self.default
        with self._lock:
            if chosen in self._loaded:
                self._loaded.move_to_end(chosen)
                return self._loaded[chosen]
            try:
                path = find_model(chosen, self.models_dir, allow_path=False)
            except SegueError as exc:
                raise ProtocolError("unknown_model", str(exc)) from None
            loaded = self._loader(path)
            self._loaded[chosen] = loaded
            try:
                self._versions[chosen] = file_version(path)
            except OSError:
                self._versions.pop(chosen, None)
            while len(self._loaded) > self._keep:
                self._loaded.popitem(last=False)
            return loaded
