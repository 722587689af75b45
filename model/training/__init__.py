"""Training: prepared pieces to batches, and the loop that fits a network to them.

``batches`` encodes a dataset's pieces and cuts the training windows (with
their transpositions and velocity shifts); ``losses`` scores a network on them;
``loop`` runs the training (``train()``), with its settings in ``config``, the
run folder's files in ``run_folder``, CPU, GPU and torchrun in ``devices``,
Ctrl-C in ``signals`` and the run's random numbers in ``rng``.
"""
