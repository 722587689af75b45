"""A client of AbletonOSC, the free Remote Script that opens Live's API to OSC (no Max needed).

With it segue works in Live Standard and Intro as well as Suite. The addresses,
argument orders and replies follow AbletonOSC's own source (github.com/
ideoforms/AbletonOSC, ``abletonosc/{osc_server,clip,clip_slot,view,song}.py``),
and so does the layout here: :mod:`~segue.bridge.abletonosc.transport` is the
UDP socket, request/reply matching, datagram size limits and timeouts; the
others are Live's vocabulary, one module per Live object, as functions of a
connection: :mod:`~segue.bridge.abletonosc.song` (counts, scenes),
:mod:`~segue.bridge.abletonosc.view` (the selection),
:mod:`~segue.bridge.abletonosc.clip_slot` (slots, new clips) and
:mod:`~segue.bridge.abletonosc.clip` (a clip's region, name and notes).

Indices are AbletonOSC's: tracks and scenes counted from 0. Messages for
people count from 1, as Live shows them.
"""
