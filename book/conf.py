"""Sphinx configuration of the book "jgershen.dev"; the feedbook extension does the rest."""

project = "jgershen.dev"
author = ""
language = "en"
copyright = ""
feedbook_subtitle = "Exploring the intersection of machine learning and engineering management."
feedbook_id = "http://jgershen.dev/feed.xml"
feedbook_pdf_per_post = True  # each post's own PDF, linked from its page
# Three posts make 18 printed pages: IngramSpark binds from 18, KDP from 24 and Lulu from 32.
feedbook_print_printer = "ingramspark"

extensions = ["feedbook.sphinxext"]
