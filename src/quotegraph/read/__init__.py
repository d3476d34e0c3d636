"""read: bytes -> text -> paragraphs with roles and repeats -> a normalised view with an offset map (+ page metadata)."""
