"""`paliapi eval`: retrieval quality measured through the service's own GraphQL API.

dataset.py reads ViDoRe/BEIR-layout data; ingest.py uploads it and checks that every page
arrived; runner.py searches and scores (metrics.py, intervals.py) into the report of
results.py, which report.py writes and prints; local_service.py starts the service in this
process when no --url is given; sanity.py builds the small dataset that CI runs.
"""
