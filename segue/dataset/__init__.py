"""Prepared datasets: every MIDI file of some folders as grid rows, split by file.

:mod:`~segue.dataset.prepare` reads the files (:mod:`~segue.dataset.reading`, in
parallel) and writes a DATASET folder (:mod:`~segue.dataset.storage` says what is
in it); :mod:`~segue.dataset.loading` opens one; :mod:`~segue.dataset.splits`
puts each file in train, valid or test from a hash of its path;
:mod:`~segue.dataset.summary` describes one for people.
"""
