"""Bulk import and export: reading files, planning and writing changes, reporting, exporting."""

from bulkops.engine.pipeline import DATABASE_REFUSED, Importer

__all__ = ["DATABASE_REFUSED", "Importer"]
