"""Reading a WAV file's header: is it one, and what format and duration does it have."""

import hashlib
import struct

from django.utils.formats import number_format
from django.utils.translation import gettext as _


class NotWave(ValueError):
    pass


WAVE_FORMATS = {1: "PCM", 3: "IEEE float", 6: "A-law", 7: "µ-law", 0xFFFE: "extensible"}
# Recorders that stream write these as the RIFF size when they do not know the length yet.
UNKNOWN_SIZES = (0, 0xFFFFFFFF)


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def wave_header(stream, size: int | None = None) -> dict:
    """Format, size and duration from a RIFF/WAVE header, read from the start of a stream.

    `size` is the file's real length in bytes; the sizes the header declares are checked against it,
    so a header cannot claim hours of audio that the file does not hold."""
    head = stream.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise NotWave(_("is not a WAV file (no RIFF/WAVE header)"))
    riff_size = struct.unpack("<I", head[4:8])[0]
    if size is not None and riff_size not in UNKNOWN_SIZES and riff_size + 8 > size + 1:
        raise NotWave(
            _("is damaged: its header declares %(declared)s bytes but the file has %(size)s")
            % {"declared": _n(riff_size + 8), "size": _n(size)}
        )
    position, fmt = 12, None
    while True:
        chunk = stream.read(8)
        if len(chunk) < 8:
            raise NotWave(_("is not a complete WAV file (no data chunk)"))
        kind, length = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        position += 8
        remaining = None if size is None else size - position
        if kind == b"data":
            return _data(fmt, length, remaining)
        if remaining is not None and length > remaining:
            raise NotWave(
                _("is damaged: its '%(chunk)s' chunk declares %(declared)s bytes but only %(remaining)s follow")
                % {"chunk": kind.decode("latin-1").strip(), "declared": _n(length), "remaining": _n(remaining)}
            )
        body = stream.read(length + length % 2)
        if len(body) < length:
            raise NotWave(_("is not a complete WAV file"))
        position += len(body)
        if kind == b"fmt ":
            fmt = _format(body)


def _format(body: bytes) -> dict:
    if len(body) < 16:
        raise NotWave(_("has a broken WAV format chunk"))
    tag, channels, rate, byte_rate, _align, bits = struct.unpack("<HHIIHH", body[:16])
    if not channels or not rate or not byte_rate:
        raise NotWave(_("has a WAV format chunk with no channels, sample rate or byte rate"))
    return {"tag": tag, "channels": channels, "rate": rate, "byte_rate": byte_rate, "bits": bits}


def _data(fmt: dict | None, length: int, remaining: int | None) -> dict:
    if fmt is None:
        raise NotWave(_("has no usable WAV format chunk before its data"))
    if remaining is not None and length > remaining:
        if length not in UNKNOWN_SIZES:
            raise NotWave(
                _("is damaged: its header declares %(declared)s bytes of audio but the file holds %(remaining)s")
                % {"declared": _n(length), "remaining": _n(remaining)}
            )
        length = remaining  # a streamed recording that never went back to write its length
    name = WAVE_FORMATS.get(fmt["tag"], f"format {fmt['tag']}")
    layout = "mono" if fmt["channels"] == 1 else f"{fmt['channels']} channels"
    return {
        "duration": round(length / fmt["byte_rate"], 3),
        "format": f"{name}, {fmt['rate']} Hz, {fmt['bits']}-bit, {layout}",
    }


def sha256_of(stream, chunk: int = 1 << 16) -> str:
    hasher = hashlib.sha256()
    while block := stream.read(chunk):
        hasher.update(block)
    return hasher.hexdigest()
