"""Answering: attempts and their stages, saving answers page by page, the layout of pages, and
packing a finished attempt into its result (the one source of per-person scores)."""
