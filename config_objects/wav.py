"""Reading a WAV file's header: is it one, and what format and duration does it have."""

import hashlib
import struct


class NotWave(ValueError):
    pass


WAVE_FORMATS = {1: "PCM", 3: "IEEE float", 6: "A-law", 7: "µ-law", 0xFFFE: "extensible"}


def wave_header(stream) -> dict:
    """Format, size and duration from a RIFF/WAVE header, read from the start of a stream."""
    head = stream.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise NotWave("is not a WAV file (no RIFF/WAVE header)")
    fmt = None
    while True:
        chunk = stream.read(8)
        if len(chunk) < 8:
            raise NotWave("is not a complete WAV file (no data chunk)")
        kind, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        if kind == b"fmt ":
            body = stream.read(size + size % 2)
            if len(body) < 16:
                raise NotWave("has a broken WAV format chunk")
            tag, channels, rate, byte_rate, _, bits = struct.unpack("<HHIIHH", body[:16])
            fmt = {"tag": tag, "channels": channels, "rate": rate, "byte_rate": byte_rate, "bits": bits}
        elif kind == b"data":
            if fmt is None or not fmt["byte_rate"]:
                raise NotWave("has no usable WAV format chunk before its data")
            name = WAVE_FORMATS.get(fmt["tag"], f"format {fmt['tag']}")
            layout = "mono" if fmt["channels"] == 1 else f"{fmt['channels']} channels"
            return {
                "duration": round(size / fmt["byte_rate"], 3),
                "format": f"{name}, {fmt['rate']} Hz, {fmt['bits']}-bit, {layout}",
            }
        else:
            skipped = stream.read(size + size % 2)
            if len(skipped) < size:
                raise NotWave("is not a complete WAV file")


def sha256_of(stream, chunk: int = 1 << 16) -> str:
    hasher = hashlib.sha256()
    while block := stream.read(chunk):
        hasher.update(block)
    return hasher.hexdigest()
