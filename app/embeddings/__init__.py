"""Embedding clients: the `Embedder` protocol and its local, http and modal backends."""
