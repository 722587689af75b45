"""segue.model: the LSTM that continues a clip, its training and generation."""
