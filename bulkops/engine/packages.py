"""The whole configuration in one job (SPEC 11): a package is a Zip of CSV files, one per object, with
audio files under audio/, or a workbook with one sheet per object. Each object is imported by its own
pipeline, exactly as a file of its own would be, in the dependency order the declarations give.

Every part is read once before anything is written (a bad header or an unknown entry fails the job
with nothing applied). A reference to an object whose own row failed earlier in the package says so.
Validate only runs the whole package in one transaction that is rolled back at its end, so each
object sees what those before it would create; its results wait in a temporary file meanwhile."""

import pickle
import re
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.db import transaction
from django.utils.translation import gettext as _

from bulkops.engine.audio import IGNORED, IGNORED_NAMES, ZipImporter, open_archive
from bulkops.engine.csvio import FileProblem
from bulkops.engine.pipeline import Importer
from bulkops.engine.xlsxio import is_workbook, sheet_is_empty, sheet_titles
from config_objects.models.fields import FAILED_IN_PACKAGE
from config_objects.registry import OBJECT_TYPES, ObjectType, dependency_order

AUDIO_FOLDER = "audio/"
NUMBERED = re.compile(r"^\s*\d+\s*[_-]\s*")  # "07_skill-definition": the number orders files, nothing more


@dataclass
class Part:
    """One object of a package: where its rows are (a Zip member, a sheet, or the audio folder)."""

    object_type: ObjectType
    entry: str  # as the package names it: a member's path, a sheet's title, "audio/"
    member: str | None = None
    sheet: str | None = None
    scanned: tuple = field(default=(), repr=False)  # (header, delimiter, total, last lines)


def object_named(name: str) -> ObjectType | None:
    """The object a file or sheet is named after: any spelling OBJECT accepts, after an ordering number."""
    return OBJECT_TYPES.find(NUMBERED.sub("", name))


def object_names() -> str:
    return ", ".join(t.slug for t in OBJECT_TYPES if t.file_kind == "csv")


def read_package(binary) -> list[Part]:
    """The package's parts in the order they are imported, or FileProblem saying what is wrong."""
    parts = workbook_parts(binary) if is_workbook(binary) else zip_parts(binary)
    if not parts:
        raise FileProblem(
            _("The package holds no object. Name each CSV file or sheet after its object: %(objects)s.")
            % {"objects": object_names()}
        )
    order = {t.slug: position for position, t in enumerate(dependency_order())}
    return sorted(parts, key=lambda part: order[part.object_type.slug])


def zip_parts(binary) -> list[Part]:
    with open_archive(binary) as archive:
        members = [
            info.filename
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith(IGNORED)
            and PurePosixPath(info.filename).name not in IGNORED_NAMES
        ]
    top = top_folder(members)
    parts, audio = {}, False
    for member in members:
        path = PurePosixPath(member.replace("\\", "/")[len(top) :])
        if str(path).lower().startswith(AUDIO_FOLDER):
            audio = True
            continue
        if len(path.parts) > 1 or path.suffix.lower() != ".csv":
            raise FileProblem(
                _(
                    "'%(entry)s' does not belong in a package: it holds one CSV file per object at its top "
                    "level, and audio files under audio/."
                )
                % {"entry": member}
            )
        add_part(parts, Part(found_object(path.stem, member), member, member=member))
    if audio:
        add_part(parts, Part(audio_type(), top + AUDIO_FOLDER))
    return list(parts.values())


def top_folder(members: list[str]) -> str:
    """The one folder every member is in ('center/'), as a Zip made of a folder has, or ''."""
    tops = {member.replace("\\", "/").partition("/")[0] + "/" for member in members}
    if len(tops) != 1 or not all("/" in member.replace("\\", "/") for member in members):
        return ""
    top = tops.pop()
    return "" if top.lower() == AUDIO_FOLDER else top


def workbook_parts(binary) -> list[Part]:
    parts = {}
    for title in sheet_titles(binary):
        if object_named(title) is None and sheet_is_empty(binary, title):
            continue  # a workbook's empty "Sheet1"
        add_part(parts, Part(found_object(title, title), title, sheet=title))
    return list(parts.values())


def found_object(name: str, entry: str) -> ObjectType:
    found = object_named(name)
    if found is None:
        raise FileProblem(
            _("'%(entry)s' names no object. Name each file or sheet after its object: %(objects)s.")
            % {"entry": entry, "objects": object_names()}
        )
    if found.file_kind != "csv":
        raise FileProblem(
            _("'%(entry)s': %(object)s files go in a package's Zip as .wav files under audio/.")
            % {"entry": entry, "object": found.label}
        )
    return found


def audio_type() -> ObjectType:
    return next(t for t in OBJECT_TYPES if t.file_kind == "zip")


def add_part(parts: dict, part: Part) -> None:
    first = parts.get(part.object_type.slug)
    if first is not None:
        raise FileProblem(
            _("%(object)s appears twice in the package: '%(first)s' and '%(second)s'.")
            % {"object": part.object_type.label, "first": first.entry, "second": part.entry}
        )
    parts[part.object_type.slug] = part


@contextmanager
def member_opener(open_input, member: str):
    """A Zip member of the package, opened as a file of its own."""
    with open_input() as binary, zipfile.ZipFile(binary) as archive, archive.open(member) as stream:
        yield stream


class PackageImporter:
    """Every part of a package through its object's pipeline, as one job."""

    def __init__(self, *, validate_only: bool = False, job=None):
        self.validate_only = validate_only
        self.job = job

    def importer(self, part: Part):
        kind = part.object_type
        if kind.file_kind == "zip":
            importer = ZipImporter(kind.resource, validate_only=self.validate_only, job=self.job, folder=part.entry)
            importer.placeholders = self.validate_only  # rolled back with the preview's transaction
            return importer
        importer = Importer(kind.resource, validate_only=self.validate_only, job=self.job)
        importer.reader.sheet = part.sheet
        return importer

    def opener(self, open_input, part: Part):
        if part.member is None:
            return open_input
        return lambda: member_opener(open_input, part.member)

    def run(self, open_input, encoding: str, *, on_parts, record, between_chunks=iter) -> None:
        """on_parts(parts) once every part is read (each part's object_type, entry and scanned are
        set), returning what record() is to be given for each; record(part's, result) per chunk."""
        with open_input() as binary:
            parts = read_package(binary)
        importers = []
        for part in parts:
            importer = self.importer(part)
            try:
                part.scanned = importer.scan_file(self.opener(open_input, part), encoding)
            except FileProblem as problem:
                raise FileProblem(_("%(entry)s: %(problem)s") % {"entry": part.entry, "problem": problem}) from None
            importers.append(importer)
        recorded = on_parts(parts)
        failed: dict = {}
        reset = FAILED_IN_PACKAGE.set(failed)
        try:
            if self.validate_only:
                self.preview(open_input, encoding, parts, importers, recorded, failed, record, between_chunks)
            else:
                for part, importer, mark in zip(parts, importers, recorded, strict=True):
                    self.import_part(
                        open_input, encoding, part, importer, failed, between_chunks, lambda r, m=mark: record(m, r)
                    )
        finally:
            FAILED_IN_PACKAGE.reset(reset)

    def import_part(self, open_input, encoding, part, importer, failed, between_chunks, record, rollback=None):
        model = part.object_type.model

        def recorded(result):
            failed.setdefault(model, set()).update(result.failed_keys)
            record(result)

        importer.import_file(
            self.opener(open_input, part),
            encoding,
            part.scanned[3],
            record=recorded,
            between_chunks=between_chunks,
            rollback=rollback,
        )

    def preview(self, open_input, encoding, parts, importers, recorded, failed, record, between_chunks) -> None:
        """Every part applied in one transaction, rolled back at the end; the results recorded after."""
        with tempfile.TemporaryFile() as kept:
            with transaction.atomic():
                for index, (part, importer) in enumerate(zip(parts, importers, strict=True)):
                    self.import_part(
                        open_input,
                        encoding,
                        part,
                        importer,
                        failed,
                        between_chunks,
                        lambda result, index=index: pickle.dump((index, result), kept),
                        rollback=False,
                    )
                transaction.set_rollback(True)
            kept.seek(0)
            while True:
                try:
                    index, result = pickle.load(kept)
                except EOFError:
                    break
                record(recorded[index], result)
