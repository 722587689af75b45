"""A tuning's claim on its name: a second tuning into it is refused at once; a run that
crashed leaves no claim behind."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from tuning_material import own_home  # noqa: F401 (a fixture)

from segue.errors import SegueError
from segue.model.tuning.claim import NameBeingTuned, claim_path, claimed
from segue.model.tuning.install import NameTaken

HOLD = """
import sys, time
from segue.model.tuning.claim import claimed
with claimed(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


@contextmanager
def held_by_another_process(name: str) -> Iterator[subprocess.Popen[str]]:
    """Another process (a tuning) holding the claim on ``name`` until it is killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, name], stdout=subprocess.PIPE, text=True, encoding="utf-8"
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_a_name_claimed_by_another_run_is_refused_at_once_in_one_line() -> None:
    with held_by_another_process("riffs"):
        for name in ("riffs", "Riffs"):  # one name on macOS and Windows
            with pytest.raises(NameBeingTuned) as refused, claimed(name):
                pass
            said = str(refused.value)
            assert "'riffs' is being tuned by another run" in said.lower(), said
            assert "\n" not in said and isinstance(refused.value, NameTaken)
        with claimed("other"):  # other names are free
            pass


def test_a_run_that_crashed_leaves_no_claim_behind() -> None:
    with held_by_another_process("riffs") as holder:
        holder.kill()  # no clean-up of its own: the OS lets go of its lock
        holder.wait()
        with claimed("riffs"):
            assert claim_path("riffs").exists()
    assert not claim_path("riffs").exists()  # removed when the claim ends


def test_an_ended_claim_is_free_again_and_a_bad_name_is_said_first() -> None:
    with claimed("riffs"):
        pass
    with claimed("riffs"):
        pass
    with pytest.raises(SegueError, match="is not a model name"), claimed("../up"):
        pass
