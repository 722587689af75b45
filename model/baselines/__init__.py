"""Baselines for the evaluation: the predecessor projects' simpler ways of continuing music.

* :mod:`.ngram`: one smoothed Markov chain per note field (offset, pitch, duration,
  velocity), each predicting its field from that field's previous values only.
* :mod:`.pitch_only`: an LSTM over pitches alone (the "notes only" way of one
  predecessor project), continuing a seed on a fixed rhythm taken from the seed.

(The predecessor projects' third way, an LSTM with independent heads and no bar
position, is a segue checkpoint: ``segue train --independent-heads --no-bar-position``.)

Both speak in the classes of :class:`segue.model.vocab.Vocab`, so their
likelihoods sit beside segue's on one scale, and both continue seeds in the
way :func:`segue.model.generate.generate` does: the first note no earlier than
the seed clip's end, no pitch sounding twice at once, notes cut at the end,
sampled through the same :class:`segue.model.sampling.Sampler`.
"""
