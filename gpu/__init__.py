"""The embedding service: colpali-engine models behind Modal, HTTP, or in-process."""
