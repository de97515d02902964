"""Read: a SOURCE (a path or an http(s) URL) into Feed and Entry records, one module per format."""
