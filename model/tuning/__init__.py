"""Tuning an installed model on the musician's own pieces (``segue tune``, the device's Learn).

``material`` reads the pieces (MIDI files, or clips) and holds a share out; ``base`` names
the model to start from (segue's own choice by default); ``fit`` tunes the network within a
time budget with training's batches, loss and step; ``install`` writes the user model and
its card; ``tune`` runs them in turn, refitting the clip memory between.
"""
