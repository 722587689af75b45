"""The bridge's protocol table: every reply declared, under the prefix, within a kilobyte."""

from __future__ import annotations

from segue.bridge import codec
from segue.bridge import protocol as P


def test_every_reply_is_declared_and_every_address_is_under_the_prefix() -> None:
    outbound = P.outbound_paths()
    for address in P.INBOUND:
        for reply in address.replies:
            assert reply in {a.path for a in P.OUTBOUND}, (address.path, reply)
    for path in list(P.inbound_paths()) + list(outbound):
        assert path.startswith(P.PREFIX + "/")
    assert P.ERROR in outbound and P.ERROR in P.reply_only_paths()


def _longest(arg: P.Arg) -> object:
    if arg.kind == "string":
        # names and codes are ASCII (model names follow a pattern); free text may be anything
        return ("\U0001f3b5" if arg.max_length >= P.MAX_TEXT else "x") * arg.max_length
    if arg.kind in ("float", "beats"):
        return 1e30
    if arg.kind == "value":
        return "x" * 64
    return -(2**31)


def test_every_reply_fits_in_one_kilobyte_at_its_longest() -> None:
    for path, address in P.outbound_paths().items():
        data = codec.encode(path, tuple(_longest(a) for a in address.args))
        assert len(data) <= P.MAX_REPLY_BYTES, (path, len(data))
