"""Sphinx configuration of the book "jgershen.dev"; the feedbook extension does the rest."""

project = "jgershen.dev"
author = ""
language = "en"
copyright = ""
feedbook_subtitle = "Exploring the intersection of machine learning and engineering management."
feedbook_id = "http://jgershen.dev/feed.xml"
feedbook_pdf_per_post = True  # each post's own PDF, linked from its page

extensions = ["feedbook.sphinxext"]
