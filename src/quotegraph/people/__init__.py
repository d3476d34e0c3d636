"""people: mentions -> the article's entities (names, roles, pronouns, gender)."""
