"""One router per resource; the templates they render are in ``../templates``."""
