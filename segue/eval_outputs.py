"""Where ``segue eval`` writes its report (:class:`EvalOutputs`): a report folder, a JSON
file or stdout, checked before an evaluation runs that may take an hour."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from segue.errors import SegueError
from segue.files import check_writable

STDOUT = "-"
"""``--json -``: the JSON on stdout (the tables then go to stderr)."""
NO_REPORT = "no -o REPORT_DIR; the tables are printed but no report is written"
"""The note for a run that writes no report."""


@dataclass(frozen=True)
class EvalOutputs:
    """``-o REPORT_DIR``, ``--json PATH|-`` and ``--force``: they travel together, as each
    check and each write of the report reads all three."""

    report_dir: Path | None
    json_out: str | None
    force: bool = False

    @property
    def to_stdout(self) -> bool:
        """The JSON goes to stdout, and the tables to stderr."""
        return self.json_out == STDOUT

    @property
    def json_path(self) -> Path | None:
        """The JSON file to write (None for none, or for stdout)."""
        return Path(self.json_out) if self.json_out and not self.to_stdout else None

    def check(self) -> str | None:
        """Refuse, in one line, a report folder or JSON file that exists (without
        ``force``; a folder that holds no report never) or cannot be written; the note to
        say where nothing will be written, else None."""
        from segue.model.evaluation.folder import check_report_dir

        if self.report_dir is not None:
            check_report_dir(self.report_dir, self.force)
            check_writable([self.report_dir])
        if self.json_path is not None:
            check_writable([self.json_path])
            if self.json_path.exists() and not self.force:
                raise SegueError(f"{self.json_out} already exists; use --force to replace it")
        return NO_REPORT if self.report_dir is None and self.json_out is None else None


def pitch_only_setting(text: str | None) -> str | None:
    """``--pitch-only``'s value as the evaluation takes it: a saved LSTM's path, None for
    ``none`` (left out), or ``train`` (the default: trained in the run)."""
    return None if (text or "").lower() == "none" else (text or "train")
