"""segue.bridge: the OSC server that answers Live, TouchOSC and any OSC client."""
