"""The book as a print PDF: Sphinx's print pages, one WeasyPrint run per post, merged into one book.

Rendering post by post keeps WeasyPrint's memory to one post's pages (it holds a
whole document's layout at once) and gives each post its own PDF for free; the
merge carries page numbers, the contents, bookmarks, links and PDF/UA tags across.
"""
