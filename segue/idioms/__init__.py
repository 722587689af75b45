"""Idiomatic parts generated from musical knowledge: training material for the clips
musicians make in a DAW.

Basslines, chord parts, arpeggios and leads over chord loops (from common
progressions, or from the harmony of real pieces such as music21's Bach
chorales), and drum grooves of ten styles, each looped over 8-bar sections with
the variations producers play. All of it is written by segue's own code, so the
material is as free as segue (MIT): ``segue idioms`` writes it as MIDI files.
"""
