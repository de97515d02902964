"""Archive: the book on disk (state, chapters, images, slugs, the init skeleton), merged by entry id."""
