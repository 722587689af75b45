"""Evaluation: how good are the continuations, against the predecessor projects' ways and
real music.

:func:`.run.run_evaluation` measures every contender on one prepared dataset:

1. **Held-out likelihood**: negative log-likelihood per note on the test split,
   per field and in total, in nats and bits. Every piece is read from its first
   note with the state carried to its last (no windows).
2. **Continuations**: each test piece long enough gives a case (:mod:`.cases`):
   its first ``seed_bars`` bars are the seed, the next ``bars`` bars are what the
   composer wrote. Each contender continues the seed ``samples`` times at each
   temperature (once when greedy, temperature 0, which has one answer), and
   every metric of :mod:`segue.model.metrics` is computed on its notes and on
   the composer's, against the same seed (:mod:`.continuations`).

The contenders (:mod:`.contenders`) are segue's model, any other segue checkpoints
given as baselines (the predecessor projects' independent heads without bar
position is one such: ``segue train --independent-heads --no-bar-position``), an
n-gram model and a pitch-only LSTM with a fixed rhythm (:mod:`segue.model.baselines`),
trained on the dataset's training split in the run.

A metric of a contender is *within tolerance* when its mean over the cases is
no further from the real continuations' mean than ``tolerance`` times that
mean, or ``spread`` times the standard deviation of the real metric across the
cases, whichever is larger (:mod:`.judging`). :mod:`.tables` and :mod:`.report`
turn a report into markdown and JSON; :func:`.folder.write_report` writes the
markdown report, its JSON twin and the plots to a folder.
"""
