"""What every phase of the import knows about the object it imports: its Resource, model and columns."""

from django.db.models import ForeignKey

from bulkops.engine.units import Unit
from config_objects.columns import LINK, OBJECT, ConfigResource


class ObjectShape:
    """The facts about one Resource's object that the phases share; the Resource instance itself is
    shared too (its reference widgets cache the names a job looks up)."""

    def __init__(self, resource: ConfigResource):
        self.resource = resource
        self.model = resource.model
        self.key_column = resource.key_column()
        self.key_field = self.model.key_field
        self.spec = resource.children
        self.object_columns = resource.columns(OBJECT)
        self.link_columns = resource.columns(LINK)
        self.concrete = [f for f in self.model._meta.concrete_fields if not f.primary_key]
        self.references = [f for f in self.concrete if isinstance(f, ForeignKey)]
        self.reference_named = {f.name: f for f in self.references}
        self.attnames = [f.attname for f in self.model._meta.concrete_fields]
        self.attname_of = {f.name: f.attname for f in self.model._meta.concrete_fields}
        self.key_attname = self.attname_of[self.key_field]
        self.pk_attname = self.model._meta.pk.attname

    def link_fields(self):
        return list(self.model._meta.many_to_many)


__all__ = ["ObjectShape", "Unit"]
