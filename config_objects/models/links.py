"""Many-to-many lists with their own through models, so that a listed object is protected."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def link_model(
    class_name: str, owner: str, target: str, module: str = "config_objects.models.people"
) -> type[models.Model]:
    """A many-to-many row whose target is PROTECTed: a team still listed in a user's teams, say,
    cannot be deleted. (Django's automatic through tables would silently drop the row instead.)"""

    def __str__(self):
        return _("%(object)s: %(owner)s → %(target)s") % {
            "object": self._meta.verbose_name,
            "owner": self.owner,
            "target": self.target,
        }

    meta = type(
        "Meta",
        (),
        {"constraints": [models.UniqueConstraint("owner", "target", name=f"{class_name.lower()}_unique")]},
    )
    return type(
        class_name,
        (models.Model,),
        {
            "__module__": module,
            "__str__": __str__,
            "Meta": meta,
            # The unique (owner, target) index serves every look-up by owner: no index of its own.
            "owner": models.ForeignKey(owner, on_delete=models.CASCADE, related_name="+", db_index=False),
            "target": models.ForeignKey(target, on_delete=models.PROTECT, related_name="+"),
        },
    )


def links(target: str, through: str, label, related_name: str = "+"):
    """related_name: where a target's own rules look for the objects that list it (a queue that a
    recording schedule lists must keep permitting recording)."""
    return models.ManyToManyField(target, through=through, related_name=related_name, blank=True, verbose_name=label)
