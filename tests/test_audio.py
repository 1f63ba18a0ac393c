"""Audio files: Zip import and export, on local disk and on a real S3-compatible server."""

import io
import os
import socket
import subprocess
import sys
import time
import wave
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from bulkops.models import Job
from config_objects.models import AudioFile
from tests import factories as f
from tests.bulk import run

pytestmark = pytest.mark.usefixtures("sync_jobs")


def wav(seconds=0.25, rate=8000, channels=1) -> bytes:
    """A real WAV of noise: noise does not compress, so archives stay under the expansion limit."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(os.urandom(int(rate * seconds) * 2 * channels))
    return buffer.getvalue()


def archive(tmp_path, entries: dict, name="audio.zip", symlinks=(), encrypted=()) -> str:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for entry, content in entries.items():
            info = zipfile.ZipInfo(entry)
            info.compress_type = zipfile.ZIP_DEFLATED
            if entry in symlinks:
                info.external_attr = 0o120777 << 16
            zipped.writestr(info, content)
    for entry in encrypted:
        path.write_bytes(mark_encrypted(path.read_bytes(), entry.encode()))
    return str(path)


def mark_encrypted(data: bytes, name: bytes) -> bytes:
    """Set an entry's "encrypted" flag, which zipfile will read but not write."""
    data = bytearray(data)
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_at : start + name_at + len(name)] == name:
                data[start + flag_at] |= 0x1
            start = data.find(signature, start + 4)
    return bytes(data)


def import_zip(path, *options):
    return run("bulk_import", "audio-file", path, *options)


def test_wav_entries_create_audio_files_with_their_format_and_duration(tmp_path):
    outcome = import_zip(archive(tmp_path, {"welcome.wav": wav(0.5), "hold.WAV": wav(1, rate=16000, channels=2)}))
    assert outcome.code == 0 and outcome.counts["created"] == 2
    welcome = AudioFile.objects.get(name="welcome.wav")
    assert (welcome.duration, welcome.format, welcome.content_type) == (0.5, "PCM, 8000 Hz, 16-bit, mono", "audio/wav")
    assert welcome.size == len(welcome.file.read()) > 8000
    assert AudioFile.objects.get(name="hold.WAV").format == "PCM, 16000 Hz, 16-bit, 2 channels"


def test_bad_entries_fail_row_by_row_and_the_good_ones_are_imported(tmp_path):
    entries = {
        "good.wav": wav(),
        "fake.wav": b"this is text, not audio",
        "../escape.wav": wav(),
        "/etc/absolute.wav": wav(),
        "link.wav": b"/etc/passwd",
        "secret.wav": wav(),
        "notes.txt": b"hello",
        "x" * 77 + ".wav": wav(),
    }
    outcome = import_zip(archive(tmp_path, entries, symlinks=["link.wav"], encrypted=["secret.wav"]))
    assert outcome.code == 3
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 7}
    messages = {error.cells[0]: error.message for error in outcome.job.errors.all()}
    assert messages == {
        "fake.wav": "File Name 'fake.wav' is not a WAV file (no RIFF/WAVE header)",
        "../escape.wav": "The entry's path tries to leave the archive",
        "/etc/absolute.wav": "The entry's path tries to leave the archive",
        "link.wav": "The entry is a link, not a file",
        "secret.wav": "The entry is encrypted",
        "notes.txt": "File Name 'notes.txt' must end in .wav",
        "x" * 77 + ".wav": "File Name is longer than 80 characters (it has 81)",
    }
    assert list(AudioFile.objects.values_list("name", flat=True)) == ["good.wav"]
    target = tmp_path / "errors.csv"
    run("bulk_errors", str(outcome.job.pk), "-o", str(target))
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "File Name,Error Message"
    assert "fake.wav,File Name 'fake.wav' is not a WAV file (no RIFF/WAVE header)" in lines


def test_folders_and_archiver_litter_are_ignored(tmp_path):
    entries = {
        "prompts/": b"",
        "prompts/ivr/menu.wav": wav(),
        "__MACOSX/._menu.wav": b"junk",
        "prompts/.DS_Store": b"x",
    }
    outcome = import_zip(archive(tmp_path, entries))
    assert (outcome.job.total_rows, outcome.counts["created"]) == (1, 1)
    assert AudioFile.objects.get().name == "menu.wav"


def test_a_zip_bomb_fails_the_job_before_anything_is_written(tmp_path):
    entries = {"first.wav": wav(), "bomb.wav": b"RIFF" + b"\0" * 5_000_000}
    outcome = import_zip(archive(tmp_path, entries))
    assert outcome.code == 1
    assert "'bomb.wav' expands" in outcome.job.failure_reason and "zip bomb" in outcome.job.failure_reason
    assert not AudioFile.objects.exists()


def test_an_archive_over_the_total_limit_fails_the_job(tmp_path, settings):
    settings.AUDIO_MAX_TOTAL_BYTES = 10_000
    outcome = import_zip(archive(tmp_path, {"a.wav": wav(0.5), "b.wav": wav(0.5)}))
    assert outcome.job.failure_reason.startswith("The archive expands to 0 MB, over the limit of 0 MB")
    assert not AudioFile.objects.exists()


def test_a_file_that_is_not_a_zip_fails_the_job(tmp_path):
    path = tmp_path / "audio.zip"
    path.write_bytes(b"not a zip")
    assert import_zip(str(path)).job.failure_reason == "The file is not a Zip archive."


def test_a_second_import_replaces_the_content_and_the_same_content_is_unchanged(tmp_path):
    first = wav(0.25)
    import_zip(archive(tmp_path, {"hold.wav": first}, name="one.zip"))
    old_file = AudioFile.objects.get().file.name
    again = import_zip(archive(tmp_path, {"hold.wav": first}, name="two.zip"))
    assert again.counts["unchanged"] == 1
    replaced = import_zip(archive(tmp_path, {"HOLD.wav": wav(0.75)}, name="three.zip"))
    assert replaced.counts["updated"] == 1
    audio = AudioFile.objects.get()
    assert (audio.name, audio.duration) == ("HOLD.wav", 0.75)
    # The replaced recording stays while its history does (a revert puts it back; the history
    # prune removes it with the last record that refers to it).
    assert audio.file.name != old_file and default_storage.exists(old_file)


def test_an_export_zip_reimports_unchanged(tmp_path):
    import_zip(archive(tmp_path, {"a.wav": wav(), "b.wav": wav(0.5)}))
    target = tmp_path / "export.zip"
    outcome = run("bulk_export", "audio-file", "-o", str(target))
    assert outcome.code == 0
    with zipfile.ZipFile(target) as exported:
        assert sorted(exported.namelist()) == ["a.wav", "b.wav"]
    back = import_zip(str(target))
    assert back.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}


def test_a_recording_of_silence_is_no_bomb_and_its_export_reimports_unchanged(tmp_path):
    outcome = import_zip(archive(tmp_path, {"pause.wav": f.wav_bytes(seconds=1.0), "menu.wav": wav()}))
    assert outcome.counts["created"] == 2, outcome.job.failure_reason
    target = tmp_path / "export.zip"
    assert run("bulk_export", "audio-file", "-o", str(target)).code == 0
    with zipfile.ZipFile(target) as exported:
        assert {info.compress_type for info in exported.infolist()} == {zipfile.ZIP_STORED}
    back = import_zip(str(target))
    assert back.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}, back.job.failure_reason


def test_validate_only_changes_nothing(tmp_path):
    outcome = import_zip(archive(tmp_path, {"a.wav": wav(), "b.wav": b"text"}), "--validate-only")
    assert outcome.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert not AudioFile.objects.exists()


def test_validate_only_applies_the_same_rules_as_the_import(tmp_path):
    entries = {"a|b.wav": wav(), "good.wav": wav()}
    checked = import_zip(archive(tmp_path, entries, name="check.zip"), "--validate-only")
    imported = import_zip(archive(tmp_path, entries, name="real.zip"))
    assert checked.counts == imported.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert checked.errors() == imported.errors()
    assert "File Name 'a|b.wav' must end in .wav and may not contain" in checked.errors()[1]


def test_queues_refer_to_imported_audio_by_name(tmp_path):
    import_zip(archive(tmp_path, {"hold.wav": wav()}))
    team = f.make_team()
    rows = (
        "Name,Channel Type,Max Time In Queue,Service Level Threshold,Timezone,Permit Monitoring,Permit Recording,"
        "Record All Calls,Pause or Resume Enabled,Default Music in Queue,Routing Type,Distribution Group Seq,"
        "Group Fallback Time,Group Teams\n"
        f"Support,TELEPHONY,600,30,UTC,TRUE,TRUE,FALSE,FALSE,HOLD.WAV,LONGEST_AVAILABLE_AGENT,1,,{team.name}\n"
    )
    path = tmp_path / "queues.csv"
    path.write_text(rows)
    assert run("bulk_import", "queue", str(path)).code == 0
    from config_objects.models import Queue

    assert Queue.objects.get().default_music.name == "hold.wav"


def test_the_admin_plays_audio_only_to_staff_who_may_view_it(tmp_path, django_user_model):
    import_zip(archive(tmp_path, {"hold.wav": wav()}))
    audio = AudioFile.objects.get()
    url = reverse("admin:config_objects_audiofile_play", args=[audio.pk])
    assert Client().get(url).status_code == 302
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("s", password="x", is_staff=True))
    assert staff.get(url).status_code == 403
    root = Client()
    root.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw-123456789"))
    response = root.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    page = root.get(reverse("admin:config_objects_audiofile_change", args=[audio.pk])).content.decode()
    assert f'<audio controls preload="none" src="{url}">' in page


def test_the_admin_refuses_an_upload_that_is_not_a_wav(django_user_model):
    root = Client()
    root.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw-123456789"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    add = reverse("admin:config_objects_audiofile_add")
    bad = root.post(add, {"name": "x.wav", "file": SimpleUploadedFile("x.wav", b"text")})
    assert "is not a WAV file" in bad.context["adminform"].form.errors["file"][0]
    good = root.post(add, {"name": "y.wav", "file": SimpleUploadedFile("y.wav", wav(0.5))})
    assert good.status_code == 302
    assert AudioFile.objects.get().duration == 0.5


# -- S3 ----------------------------------------------------------------------------------------------


@pytest.fixture
def s3_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_server):
    import boto3

    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    client = boto3.client("s3", endpoint_url=s3_server, **credentials)
    client.create_bucket(Bucket="contact-center")
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "contact-center",
                "endpoint_url": s3_server,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "default_acl": "private",
                "file_overwrite": False,
            },
        }
    }
    return client


@pytest.mark.slow
def test_audio_and_job_files_go_through_s3(tmp_path, s3_storage):
    outcome = import_zip(archive(tmp_path, {"welcome.wav": wav(0.5)}))
    assert outcome.code == 0
    keys = {item["Key"] for item in s3_storage.list_objects_v2(Bucket="contact-center")["Contents"]}
    assert any(key.startswith("jobs/input/") and key.endswith("audio.zip") for key in keys)
    assert "audio/welcome.wav" in keys
    target = tmp_path / "export.zip"
    assert run("bulk_export", "audio-file", "-o", str(target)).code == 0
    with zipfile.ZipFile(target) as exported:
        assert exported.namelist() == ["welcome.wav"]
    result_key = Job.objects.get(operation="export").result_file.name
    assert result_key in {item["Key"] for item in s3_storage.list_objects_v2(Bucket="contact-center")["Contents"]}
    assert import_zip(str(target)).counts["unchanged"] == 1
