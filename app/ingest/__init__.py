"""Bytes to pages: type sniffing, fetching, and rendering (PyMuPDF in a process pool)."""
