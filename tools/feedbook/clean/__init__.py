"""Clean: an entry's HTML made safe and regular (sanitizing, depth, URLs), its footnotes found."""
