"""The authentication backend: Django's model backend, with a richer user load.

Every signed-in request loads its user once (``AuthenticationMiddleware``). The same
query brings what every page then asks of that user: the reader's preferences
(time zone, hidden tags; ``reading.preferences``) and whether a sanction is in force
(``moderation.standing``). Without it each signed-in page paid two more queries.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef

from fanshelf.moderation.models import Sanction


class ArchiveBackend(ModelBackend):
    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("reading_preference")
            .annotate(sanctioned=Sanction.any_in_force(OuterRef("pk")))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
