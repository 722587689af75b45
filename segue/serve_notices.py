"""What ``segue serve`` says once its bridge listens (:func:`started_lines`): where it
listens and with which model, a warning where anyone on the network may reach it, the
clients it answers, and Live through AbletonOSC."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from segue.bridge.allow import Network, exposes_network


class Said(NamedTuple):
    """A line to print, and whether it goes to stderr (a warning)."""

    text: str
    err: bool = False


def started_lines(
    host: str,
    bound: tuple[str, int],
    model_name: str,
    networks: Sequence[Network],
    live: str | None = None,
    live_reply_port: int | None = None,
) -> list[Said]:
    """The lines said, in order, of a bridge asked to listen on ``host`` and bound to
    ``bound`` (its host and port), serving ``model_name``, answering only ``networks``
    (and loopback; none: anyone), reaching Live through AbletonOSC at ``live`` (its
    address, None for none), which answers on ``live_reply_port``."""
    bound_host, bound_port = bound
    lines = [
        Said(
            f"segue bridge listening on udp {bound_host}:{bound_port} "
            f"(model {model_name}; protocol in docs/protocol.md; Ctrl-C stops)"
        )
    ]
    if exposes_network(host):
        who = (
            "reach this bridge; only the --allow addresses and loopback (127.0.0.1) get answers"
            if networks
            else "use this bridge; restrict it with --allow ADDR|NET"
        )
        lines.append(Said(f"warning: listening on {host}: anyone on your network can {who}", True))
    if networks:
        lines.append(Said("answering only " + ", ".join(str(n) for n in networks)))
    if live is not None:
        lines.append(
            Said(
                f"Live through AbletonOSC at {live} (answers on {live_reply_port}): "
                "/segue/live/continue continues the selected clip"
            )
        )
    return lines
