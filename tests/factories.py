"""Small builders shared by test modules."""


def work_tags(**extra):
    """The tags a posted work needs (rating, warning, fandom), plus ``extra``."""
    base = {
        "rating": "Teen And Up Audiences",
        "warning": ["No Archive Warnings Apply"],
        "fandom": ["Star Wars"],
    }
    return {**base, **extra}
