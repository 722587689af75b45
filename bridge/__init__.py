"""segue.bridge: the OSC server that answers Live, TouchOSC and any OSC client.

One module, one job:

* ``protocol``  the address table (every address, its arguments, its replies, the error codes)
* ``params``    generation parameters: ranges, defaults, TouchOSC fader mapping
* ``values``, ``arguments``  casting received arguments (TouchOSC's floats, float32 beats)
* ``codec``     OSC bytes to messages and back, strictly
* ``session``   per-client state: reply port, parameters, seed uploads; forgotten when quiet
* ``lengths``   every length limit in beats and notes, whatever the time signature
* ``worker``    the bounded generation queue and its threads
* ``models``    models by name (never by path), loaded once
* ``dispatch``  each message to its handler; ``handlers`` one per address (``HANDLERS``)
* ``jobs``      what runs on the workers: a generation, a Live continuation
* ``error_codes``  the one table of exception -> /segue/error code
* ``server``    the UDP loop; ``allow`` the --allow filter and the senders never answered;
  ``inbox`` datagrams served one per source in turn; ``budget`` reply bytes per host;
  ``loglimit`` one log line per kind per client per interval
* ``abletonosc``  AbletonOSC: its transport, and Live's song, view, clip slots and clips;
  ``live_continue`` a clip of Live continued into new clips
* ``client``    a python-osc client library (``segue send`` and ``segue ping`` use it)
* ``docgen``    docs/protocol.md from the table; ``testing`` helpers for tests
"""
