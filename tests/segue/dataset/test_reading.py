"""Reading files for a dataset: both readers give the same dataset."""

from __future__ import annotations

import numpy as np

from segue.dataset.loading import load_dataset
from segue.dataset.prepare import prepare_dataset


def test_both_readers_make_the_same_dataset(tmp_path, inputs, prepared):
    _, fast = prepared
    prepare_dataset(inputs, tmp_path / "mido", workers=1, progress=False, reader="mido")
    slow = load_dataset(tmp_path / "mido")
    assert np.array_equal(fast.notes, slow.notes)
    assert np.array_equal(fast.table, slow.table)
    assert fast.sources == slow.sources


def test_the_reading_workers_leave_ctrl_c_to_the_command() -> None:
    """Ctrl-C reaches every process of the terminal: a worker interrupted while it held the
    pool's queue printed a traceback, or left `segue data prepare` hanging (helper-43)."""
    import signal

    from segue.dataset.reading import reading_pool

    with reading_pool(2) as pool:
        handlers = pool.map(signal.getsignal, [signal.SIGINT] * 4)
    assert set(handlers) == {signal.SIG_IGN}
