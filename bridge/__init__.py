"""segue.bridge: the OSC server that answers Live, TouchOSC and any OSC client.

One module, one job:

* ``protocol``  the address table (every address, its arguments, its replies, the error codes)
* ``params``    generation parameters: ranges, defaults, TouchOSC fader mapping
* ``values``, ``arguments``  casting received arguments (TouchOSC's floats, float32 beats)
* ``codec``     OSC bytes to messages and back, strictly
* ``session``   per-client state: reply port, parameters, seed uploads
* ``worker``    the bounded generation queue and its threads
* ``models``    models by name (never by path), loaded once
* ``core``      the handlers; ``server`` the UDP loop; ``allow`` the --allow filter
* ``client``    a python-osc client library (``segue send`` and ``segue ping`` use it)
* ``docgen``    docs/protocol.md from the table; ``testing`` helpers for tests
"""
