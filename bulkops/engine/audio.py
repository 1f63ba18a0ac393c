"""Audio files in and out as Zip archives. Each .wav entry is one row: it creates or replaces the
audio file of that name. Entries are streamed one at a time from the archive to storage; nothing
is written before the whole archive has passed the size checks."""

import logging
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bulkops.engine.csvio import FileProblem
from bulkops.engine.recording import ChangeRecorder
from bulkops.engine.units import ChunkResult, validation_messages
from bulkops.engine.writing import DATABASE_REFUSED
from config_objects.history import bulk_writes
from config_objects.models import AudioFile
from config_objects.models.fields import NAME_MAX_LENGTH, fold
from config_objects.rendering import snapshots
from config_objects.wav import NotWave

log = logging.getLogger(__name__)
HEADER = ["File Name"]
CHUNK = 1 << 16
IGNORED = ("__MACOSX/",)
IGNORED_NAMES = (".DS_Store", "Thumbs.db")
# An entry that expands to less than this is no bomb, however far it expands: a recording of silence
# deflates 200 times, and the archive's total is limited on its own (AUDIO_MAX_TOTAL_MB).
RATIO_CHECKED_FROM_BYTES = 1_000_000


def entry_problem(info: zipfile.ZipInfo) -> str:
    """Why an entry cannot be imported, or ''."""
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in path.parts:
        return _("The entry's path tries to leave the archive")
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return _("The entry is a link, not a file")
    if info.flag_bits & 0x1:
        return _("The entry is encrypted")
    if not path.name.lower().endswith(".wav"):
        return _("File Name '%(name)s' must end in .wav") % {"name": path.name}
    if len(path.name) > NAME_MAX_LENGTH:
        return _("File Name is longer than %(limit)s characters (it has %(length)s)") % {
            "limit": NAME_MAX_LENGTH,
            "length": len(path.name),
        }
    return ""


def entries(archive: zipfile.ZipFile, wanted=lambda info: True) -> list[zipfile.ZipInfo]:
    """The archive's file entries that are wanted, after checking them against the expansion limits."""
    found, total = [], 0
    for info in archive.infolist():
        if info.is_dir() or info.filename.startswith(IGNORED) or PurePosixPath(info.filename).name in IGNORED_NAMES:
            continue
        if not wanted(info):
            continue
        total += info.file_size
        bomb_sized = info.file_size > RATIO_CHECKED_FROM_BYTES
        if bomb_sized and info.compress_size and info.file_size / info.compress_size > settings.AUDIO_MAX_RATIO:
            raise FileProblem(
                _(
                    "'%(name)s' expands %(ratio)s times (the limit is %(limit)s): the archive looks like a zip "
                    "bomb, so nothing was imported."
                )
                % {
                    "name": info.filename,
                    "ratio": number_format(round(info.file_size / info.compress_size), force_grouping=True),
                    "limit": number_format(settings.AUDIO_MAX_RATIO, force_grouping=True),
                }
            )
        found.append(info)
    if total > settings.AUDIO_MAX_TOTAL_BYTES:
        raise FileProblem(
            _("The archive expands to %(size)s MB, over the limit of %(limit)s MB, so nothing was imported.")
            % {
                "size": number_format(round(total / 1e6), force_grouping=True),
                "limit": number_format(round(settings.AUDIO_MAX_TOTAL_BYTES / 1e6), force_grouping=True),
            }
        )
    if len(found) > settings.BULK_MAX_ROWS:
        raise FileProblem(
            _("The archive has more than %(limit)s files, the limit for one import.")
            % {"limit": number_format(settings.BULK_MAX_ROWS, force_grouping=True)}
        )
    return found


def import_entry(
    archive, info, seen: dict, validate_only: bool, recorder: ChangeRecorder, placeholder: bool = False
) -> tuple[str, str, list]:
    """(outcome, message, changes) for one entry: created / updated / unchanged, or failed with why.
    placeholder: a preview saves the row (not the recording), for a transaction that is rolled back."""
    problem = entry_problem(info)
    if problem:
        return "failed", problem, []
    name = PurePosixPath(info.filename.replace("\\", "/")).name
    if fold(name) in seen:
        message = _("File Name '%(name)s' is repeated: it first appears as '%(first)s'")
        return "failed", message % {"name": name, "first": seen[fold(name)]}, []
    seen[fold(name)] = info.filename
    stored = AudioFile.objects.filter(match_key=fold(name)).first()
    audio = AudioFile.objects.get(pk=stored.pk) if stored else AudioFile(name=name)
    try:
        audio.read_recording(lambda: archive.open(info), info.file_size)
    except NotWave as error:
        return "failed", _("File Name '%(name)s' %(error)s") % {"name": name, "error": error}, []
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, zlib.error):
        message = _("File Name '%(name)s' cannot be read from the archive: the entry is damaged")
        return "failed", message % {"name": name}, []
    if stored is not None and stored.sha256 == audio.sha256 and stored.name == name:
        return "unchanged", "", []
    outcome = "created" if stored is None else "updated"
    before = snapshots(recorder.resource, [stored.pk]).get(stored.pk) if stored else None
    audio.name = name
    if validate_only:
        # Every rule of the real import, but the file is not stored and nothing is saved.
        try:
            audio.full_clean(exclude=["file"])
        except ValidationError as error:
            return "failed", "; ".join(validation_messages(error)), []
        if placeholder:  # what comes after it in a package's preview refers to it
            audio.file.name = audio.file.field.generate_filename(audio, name)
            with bulk_writes():
                audio.save()
        return outcome, "", [recorder.one(audio, created=stored is None, before=before, saved=False)]
    with archive.open(info) as stream:
        audio.file.save(name, File(stream, name=name), save=False)
    try:
        with transaction.atomic():
            audio.full_clean()
            with bulk_writes():
                audio.save()
            change = recorder.one(audio, created=stored is None, before=before)
    except ValidationError as error:
        audio.file.storage.delete(audio.file.name)
        return "failed", "; ".join(validation_messages(error)), []
    except DatabaseError:
        log.warning("The database refused audio file %r", name, exc_info=True)
        audio.file.storage.delete(audio.file.name)
        return "failed", str(DATABASE_REFUSED), []
    # The replaced recording stays in storage while its history does: a revert puts it back.
    return outcome, "", [change]


@dataclass
class ZipRow:
    """One file entry of the archive, as a row: its number (the 'line' of the error file) and name."""

    number: int
    info: zipfile.ZipInfo


def zip_rows(archive: zipfile.ZipFile, folder: str = "") -> list[ZipRow]:
    """The archive's audio entries as rows; with a folder (a package's audio/), only the entries in it
    but its CSV files (the error list of an earlier job, uploaded back with the package)."""
    if folder:
        found = entries(archive, lambda info: in_folder(info.filename, folder) and not is_csv(info.filename))
    else:
        found = entries(archive)
    return [ZipRow(number, info) for number, info in enumerate(found, start=1)]


def in_folder(name: str, folder: str) -> bool:
    return name.replace("\\", "/").lower().startswith(folder.lower())


def is_csv(name: str) -> bool:
    return name.lower().endswith(".csv")


def open_archive(binary) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(binary)
    except zipfile.BadZipFile:
        raise FileProblem(_("The file is not a Zip archive.")) from None


class ZipImporter:
    """Audio files through the pipeline's steps and interface (Importer.run): read the archive as rows,
    then per chunk of rows plan and write each (the recording is stored with its row), and report
    the chunk's counts and error rows. Validate only applies every rule and writes nothing."""

    chunk_rows = 50

    def __init__(self, resource_class, *, validate_only: bool = False, job=None, folder: str = ""):
        self.resource = resource_class()
        self.validate_only = validate_only
        self.folder = folder
        self.placeholders = False  # a package's preview keeps rows for the objects after it
        self.recorder = ChangeRecorder(
            self.resource,
            job_id=job.pk if job is not None else None,
            user_id=job.submitted_by_id if job is not None else None,
            preview=validate_only,
        )

    def run(self, open_input, encoding: str, *, on_total, record, between_chunks=iter) -> None:
        header, delimiter, total, last_lines = self.scan_file(open_input, encoding)
        on_total(total, header, delimiter)
        self.import_file(open_input, encoding, last_lines, record=record, between_chunks=between_chunks)

    def scan_file(self, open_input, encoding: str) -> tuple[list[str], str, int, dict]:
        with open_input() as binary, open_archive(binary) as archive:
            return HEADER, ",", len(zip_rows(archive, self.folder)), {}

    def import_file(self, open_input, encoding: str, last_lines: dict, *, record, between_chunks=iter, rollback=None):
        """Every entry, a chunk at a time (rollback: the pipeline's; an entry is never kept in preview)."""
        with open_input() as binary, open_archive(binary) as archive:
            rows = zip_rows(archive, self.folder)
            seen: dict = {}
            chunks = [rows[start : start + self.chunk_rows] for start in range(0, len(rows), self.chunk_rows)]
            for chunk in between_chunks(iter(chunks)):
                record(self.import_chunk(archive, chunk, seen))

    def import_chunk(self, archive, rows: list[ZipRow], seen: dict) -> ChunkResult:
        result = ChunkResult()
        for row in rows:
            outcome, message, changes = import_entry(
                archive, row.info, seen, self.validate_only, self.recorder, self.placeholders
            )
            result.changes += changes
            result.rows += 1
            result.objects += 1
            result.counts[outcome] += 1
            if message:
                result.errors.append((row.number, [row.info.filename], message))
                result.failed_keys.append(fold(PurePosixPath(row.info.filename.replace("\\", "/")).name))
        return result


def new_entry(name: str, compress_type: int = zipfile.ZIP_STORED) -> zipfile.ZipInfo:
    """A Zip entry stamped now (ZipFile.open(name) would date it 1980). Stored as it is by default, as
    recordings are: a WAV barely shrinks when deflated, and one that does (silence) would look like a
    bomb on its way back in."""
    entry = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    entry.compress_type = compress_type
    return entry


def export_zip(job, progress) -> None:
    audio_files = AudioFile.objects.order_by("name")
    progress.set_total(audio_files.count())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            done = 0
            for audio in audio_files.iterator(chunk_size=200):
                entry = new_entry(audio.name)
                with audio.file.open("rb") as source, archive.open(entry, "w", force_zip64=True) as target:
                    while block := source.read(CHUNK):
                        target.write(block)
                done += 1
                if done % 50 == 0:
                    progress.checkpoint()
                    progress.advance(50)
        spool.seek(0)
        progress.save_result(f"audio-files-export-{stamp}.zip", File(spool))
    progress.advance(done % 50)
