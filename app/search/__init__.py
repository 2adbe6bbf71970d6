"""Late-interaction page search: candidate planning, a centroid first stage, exact rerank."""
