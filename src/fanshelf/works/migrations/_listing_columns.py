"""The columns listings filter and sort on, for the covering indexes of 0006 and 0007."""

COLUMNS = [
    "id", "state", "restricted", "expected_chapters", "chapter_count", "word_count",
    "language", "crossover", "revised_at", "published_at", "kudos_count", "hit_count",
    "comment_count", "bookmark_count",
]  # fmt: skip
