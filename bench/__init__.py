"""Benchmarks and the quality evaluation (`make bench`, `make eval`)."""
