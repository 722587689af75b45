"""Train, valid and test: a file's split from a SHA-1 hash of its relative path (of its
folder's, for the parts of one work).

Adding files never moves the old ones, and moving the whole folder moves
nothing either; nor does copying it between computers that spell accented
names differently (macOS decomposes "ö" into "o" and a combining mark).
"""

from __future__ import annotations

import hashlib
import math
import numbers
import unicodedata

from segue.errors import SegueError

SPLITS = ("train", "valid", "test")
WORK_MARK = ".segue-work"
"""A file in a folder says: the MIDI files here are the parts of one work (``segue corpus
export --parts`` writes it), to be split as one. The alto of a chorale whose soprano is
learnt from shares its harmony and rhythm: in the test split it would reward learning
the work by heart."""
WORK_MARK_TEXT = (
    "The MIDI files in this folder are the parts of one work: segue data prepare puts them\n"
    "all in the same split (train, valid or test). Delete this file to split them one by one.\n"
)


def check_fractions(valid_fraction: float, test_fraction: float) -> None:
    """Each fraction from 0 to 1, together at most 1. Test 1 (valid 0) makes a dataset to
    evaluate on only: every piece is a test piece (``segue eval`` scores them all)."""
    for name, value in (("valid", valid_fraction), ("test", test_fraction)):
        if not (isinstance(value, numbers.Real) and math.isfinite(value) and 0 <= value <= 1):
            raise SegueError(f"the {name} fraction must be between 0 and 1, got {value!r}")
    if valid_fraction + test_fraction > 1:
        raise SegueError(
            f"valid and test fractions add up to {valid_fraction + test_fraction:g}; "
            "they must add up to 1 or less (every file for testing: --test 1 --valid 0)"
        )


def split_fraction(relative_path: str) -> float:
    """A stable number in [0, 1) from the path (forward slashes and composed accents, any OS)."""
    key = unicodedata.normalize("NFC", relative_path.replace("\\", "/")).encode(
        "utf-8", "surrogateescape"
    )  # a name in no UTF-8 (an old zip's Latin-1) keeps its bytes
    return int.from_bytes(hashlib.sha1(key).digest()[:8], "big") / 2**64


def split_key(relative_path: str, in_work: bool) -> str:
    """What a file's split is drawn from: its path relative to its input folder, or its
    folder's when the folder holds one work's parts (:data:`WORK_MARK`)."""
    if not in_work:
        return relative_path
    folder = relative_path.replace("\\", "/").rpartition("/")[0]
    return f"{folder}/" if folder else "./"


def split_for(relative_path: str, valid_fraction: float, test_fraction: float) -> str:
    """ "train", "valid" or "test" for a file, from its path relative to its input folder
    (or the key :func:`split_key` gives)."""
    check_fractions(valid_fraction, test_fraction)
    x = split_fraction(relative_path)
    if x < valid_fraction:
        return "valid"
    if x < valid_fraction + test_fraction:
        return "test"
    return "train"


def split_code(split: str) -> int:
    """The number that stands for a split in the dataset's piece table."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    return SPLITS.index(split)
