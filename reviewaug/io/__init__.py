"""Reviews in and out: :func:`load_reviews` into one schema, :func:`save_reviews` by extension, atomically.

Example:
    >>> from reviewaug.io import SCHEMA
    >>> SCHEMA[:3]
    ('review_id', 'user_id', 'item_id')
"""

from reviewaug.io.readers import (
    DIALECTS,
    SCHEMA,
    ReviewFormatError,
    default_corpus_path,
    detect_dialect,
    load_reviews,
)
from reviewaug.io.writers import output_kind, save_reviews

__all__ = [
    "SCHEMA",
    "DIALECTS",
    "ReviewFormatError",
    "default_corpus_path",
    "detect_dialect",
    "load_reviews",
    "save_reviews",
    "output_kind",
]
