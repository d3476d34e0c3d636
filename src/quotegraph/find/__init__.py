"""find: quotation marks, the quote-first / verb-first / according-to finders, content boundaries."""
