"""`segue eval` options that keep a run of the tiny test models short."""

SMALL = (  # a whole run, small: every baseline, two temperatures, one example
    "--seed-bars",
    "2",
    "--bars",
    "2",
    "--samples",
    "2",
    "--temperatures",
    "0,1",
    "--pitch-only-epochs",
    "1",
    "--examples",
    "1",
    "--quiet",
)
ONE_PIECE = (  # one piece, one temperature, one sample, no n-gram
    "--max-pieces",
    "1",
    "--temperatures",
    "1",
    "--samples",
    "1",
    "--seed-bars",
    "2",
    "--bars",
    "2",
    "--no-ngram",
    "--quiet",
)
