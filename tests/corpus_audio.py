"""The Zip and WAV cases of the bad-input corpus (tests/corpus.py): archives and entries built in
Python (no binary fixtures). Each bad entry sits among the good ones "hold.wav" and "good.wav", which
must import when the job goes on."""

import io
import random
import struct
import wave
import zipfile

from tests.corpus_case import COMPLETED, FAILED, GOOD, REFUSED, WITH_ERRORS, Case, utf8


def noise(size: int, seed: int = 7) -> bytes:
    """Noise does not compress, so archives stay far under the expansion limit."""
    return random.Random(seed).randbytes(size)


def wav(seconds=0.05, seed=7) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(noise(int(8000 * seconds) * 2, seed))
    return buffer.getvalue()


def wav_head(data_size: int, *, fmt_size=16, byte_rate=16000, riff_size=36) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, byte_rate, 2, 16)
    return (
        b"RIFF"
        + struct.pack("<I", riff_size)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", fmt_size)
        + fmt
        + b"data"
        + struct.pack("<I", data_size)
    )


def zipped(entries, *, symlinks=(), encrypted=(), stored=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = 0o120777 << 16
            archive.writestr(info, content)
    data = buffer.getvalue()
    for name in encrypted:
        data = mark_encrypted(data, name.encode())
    return data


def mark_encrypted(data: bytes, name: bytes) -> bytes:
    """Set an entry's "encrypted" flag in its local and central headers (zipfile cannot write one)."""
    data = bytearray(data)
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_at : start + name_at + len(name)] == name:
                data[start + flag_at] |= 0x1
            start = data.find(signature, start + 4)
    return bytes(data)


def bad_crc_zip() -> bytes:
    body = wav(seed=11)
    data = bytearray(zipped({"good.wav": wav(), "crc.wav": body}, stored=True))
    data[data.find(body) + len(body) - 1] ^= 0xFF  # the header still reads; the CRC no longer matches
    return bytes(data)


AUDIO_GOOD = {"hold.wav": wav(seed=3), "good.wav": wav(seed=5)}
AUDIO_AFTER = {"hold.wav": None, "good.wav": None}


def bad_entry(case_id, entries, says, *, absent=None, **options) -> Case:
    """One bad entry among the good ones: it fails its row, the good ones import."""
    if absent is None:
        absent = tuple(name.rsplit("/", 1)[-1] for name in entries)
    return Case(
        case_id,
        lambda: zipped({**AUDIO_GOOD, **entries}, **options),
        obj="audio-file",
        ends=(WITH_ERRORS,),
        says=says,
        present=AUDIO_AFTER,
        absent=absent,
    )


def audio_file(case_id, content, ends, says="", **options) -> Case:
    return Case(case_id, content, obj="audio-file", ends=ends, says=says, **options)


def archives() -> list[Case]:
    claims_too_much = wav_head(0xFFFFFFF0, riff_size=196) + noise(160)
    assert len(claims_too_much) == 204
    return [
        audio_file("not-a-zip", b"this is not a zip", (FAILED,), "zip"),
        audio_file("zero-byte-zip", b"", (FAILED, REFUSED), "zip|empty"),
        audio_file("empty-zip", zipped({}), (COMPLETED, FAILED), total=0),
        audio_file("truncated-zip", lambda: zipped(AUDIO_GOOD)[:300], (FAILED,), "zip"),
        audio_file(
            "only-folders-and-archiver-litter",
            zipped({"p/": b"", "__MACOSX/._a.wav": b"x", ".DS_Store": b"x"}),
            (COMPLETED,),
            total=0,
        ),
        bad_entry("zip-slip", {"../x.wav": wav()}, "leave the archive", absent=("x.wav",)),
        bad_entry("zip-slip-with-backslashes", {"..\\x.wav": wav()}, "leave the archive", absent=("x.wav",)),
        bad_entry("absolute-path-entry", {"/etc/x.wav": wav()}, "leave the archive"),
        bad_entry("windows-drive-entry", {"C:/x.wav": wav()}, "leave the archive", absent=("x.wav",)),
        bad_entry("symlink-entry", {"link.wav": b"/etc/passwd"}, "link", symlinks=["link.wav"]),
        bad_entry("encrypted-flag-entry", {"secret.wav": wav()}, "encrypted", encrypted=["secret.wav"]),
        bad_entry("non-wav-entry", {"notes.txt": b"hello"}, r"\.wav"),
        bad_entry("csv-inside-the-zip", {"sites.csv": utf8(*GOOD)}, r"\.wav"),
        bad_entry("wav-that-is-not-riff", {"fake.wav": b"this is text, not audio"}, "WAV"),
        bad_entry("wav-data-chunk-claims-0xfffffff0-bytes", {"liar.wav": claims_too_much}, r"size|bytes"),
        bad_entry(
            "wav-fmt-chunk-larger-than-file", {"fat.wav": wav_head(100, fmt_size=0x7FFFFFF0) + noise(100)}, "WAV"
        ),
        bad_entry("wav-truncated-header", {"short.wav": wav_head(100)[:22]}, "WAV"),
        bad_entry("wav-with-zero-byte-rate", {"zero.wav": wav_head(100, byte_rate=0) + noise(100)}, "WAV"),
        audio_file(
            "zip-bomb", lambda: zipped({**AUDIO_GOOD, "bomb.wav": b"RIFF" + bytes(1_000_000)}), (FAILED,), "zip bomb"
        ),
        bad_entry("entry-name-of-81-chars", {"x" * 77 + ".wav": wav()}, "80"),
        bad_entry("pipe-in-entry-name", {"a|b.wav": wav()}, "File Name"),
        bad_entry("line-separator-in-entry-name", {"a\u2028b.wav": wav()}, "File Name"),
        bad_entry("right-to-left-override-in-entry-name", {"evil\u202evaw.exe.wav": wav()}, "File Name"),
        bad_entry("entry-names-differing-in-case", {"prompts/HOLD.WAV": wav(seed=9)}, "repeated", absent=()),
        audio_file("entry-with-a-bad-crc", bad_crc_zip, (WITH_ERRORS, FAILED), "crc.wav|CRC|corrupt|damaged"),
        audio_file("csv-uploaded-as-audio", utf8(*GOOD), (REFUSED,), "zip", file_name="audio.csv"),
        Case("zip-uploaded-as-site", lambda: zipped(AUDIO_GOOD), file_name="sites.zip", ends=(REFUSED,), says="csv"),
    ]
