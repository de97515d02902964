"""Convert: an entry's cleaned HTML tree into MyST text. Touches neither the file system nor the network."""
