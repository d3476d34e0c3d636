"""attribute: the attribution record (cue, source, addressee), via chains, speaker choice and resolution."""
