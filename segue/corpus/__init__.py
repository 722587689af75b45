"""Training material from music21's bundled corpus: list its collections, export them to MIDI.

A *collection* is a top-level folder of ``music21/corpus`` that holds scores
(``bach``, ``essenFolksong``, ``oneills1850``, ...). A *work* is one score file,
except in ABC files, where every tune (each ``X:`` header) is its own work.
Roman-numeral analyses (``.rntxt``) and Finale sources (``.mus``, ``.musx``) are
not scores music21 can turn into notes, so they are not counted.

* :mod:`~segue.corpus.listing` finds the collections and counts their works without
  parsing a score (well under a second), with a licence note for each from
  :mod:`~segue.corpus.licences`;
* :mod:`~segue.corpus.works` names the works of a collection (one per ABC tune);
* :mod:`~segue.corpus.scores` reads one work with music21 into segue notes;
* :mod:`~segue.corpus.export` writes one MIDI file per work to
  ``OUT/<collection>/<name>.mid``, in parallel worker processes
  (:mod:`~segue.corpus.workers`), each work within a time limit.

music21 is an optional dependency (``pip install "segue[corpus]"``) and is only
imported inside the functions that need it.
"""
