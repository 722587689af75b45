"""What the bridge remembers per client: an upload that never ends is dropped."""

from __future__ import annotations

import time

from segue.bridge import protocol as P
from segue.bridge.testing import RawClient, running_server


def test_an_upload_that_never_ends_is_dropped(models_dir) -> None:
    with running_server(models_dir, upload_timeout=0.3) as srv, RawClient(srv.address) as raw:
        raw.send(P.SEED_BEGIN, 9, 3, 4.0, 4, 4)
        raw.send(P.SEED_NOTE, 9, 60, 0.0, 1.0, 90)
        started = time.monotonic()
        rid, code, _ = raw.error(timeout=3)
        assert (rid, code) == (9, "upload_timeout") and time.monotonic() - started >= 0.25
        raw.send(P.SEED_NOTE, 9, 62, 1.0, 1.0, 90)
        assert raw.error()[:2] == (9, "no_upload")
        state = srv.bridge.sessions.peek(("127.0.0.1", raw.port))
        assert state is not None and not state.uploads  # the only client: nothing pending
