"""TeX formulas typeset for the book's formats: MathML for the site and the EPUB, SVG images for the PDF."""
