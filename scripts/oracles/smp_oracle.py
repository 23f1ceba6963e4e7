#!/usr/bin/env python3
"""smp_oracle.py encode | decode

An independent SMP implementation for b2c's SMP codec tests: the `smp` package (pinned in
scripts/requirements.txt; its message models, cbor2 and its serial framing). Nothing here reads
b2c's sources or output except the JSON a test sends to `decode`.

encode   prints a JSON object: case name -> {"message": hex, "serial": [hex line, ...],
         "serial64": [...]} for a fixed list of requests and responses built with smp's models
         (serial: smp.packet.encode with line_length 128, which gives b2c's 127-byte lines;
         serial64: line_length 64).
decode   reads a JSON list from stdin; each item is {"class": "<module>.<Class>", "message": hex}
         or {"serial": [hex line, ...]}. For a class it prints the header fields and smp's
         model_dump (bytes as hex) after Class.loads(message); for serial lines, the message
         smp.packet.decode reassembles, as hex. Errors are reported per item as {"error": text}.
"""
import json
import sys

from smp import error as smperr
from smp import header as smphdr
from smp import image_management as img
from smp import os_management as osm
from smp import packet


def serial(message, line_length):
    return [line.hex() for line in packet.encode(message, line_length=line_length)]


def cases():
    hash32 = bytes(range(32))
    image_head = bytes.fromhex("3db8f396") + bytes(60)
    return {
        "echo": osm.EchoWriteRequest(sequence=0x42, d="hi"),
        "echo-long": osm.EchoWriteRequest(sequence=7, d="x" * 300),
        "reset": osm.ResetWriteRequest(sequence=1),
        "reset-force": osm.ResetWriteRequest(sequence=2, force=1, boot_mode=1),
        "taskstat": osm.TaskStatisticsReadRequest(sequence=3),
        "mpstat": osm.MemoryPoolStatisticsReadRequest(sequence=4),
        "datetime-read": osm.DateTimeReadRequest(sequence=5),
        "datetime-write": osm.DateTimeWriteRequest(sequence=6, datetime="2026-12-08T02:25:08"),
        "params": osm.MCUMgrParametersReadRequest(sequence=8),
        "info": osm.OSApplicationInfoReadRequest(sequence=9, format="snrvbmpioa"),
        "bootloader": osm.BootloaderInformationReadRequest(sequence=10),
        "bootloader-mode": osm.BootloaderInformationReadRequest(sequence=11, query="mode"),
        "state-read": img.ImageStatesReadRequest(sequence=12),
        "state-write": img.ImageStatesWriteRequest(sequence=13, hash=hash32, confirm=False),
        "state-confirm": img.ImageStatesWriteRequest(sequence=14, confirm=True),
        "upload-first": img.ImageUploadWriteRequest(
            sequence=15, off=0, data=image_head, len=100072, sha=hash32, image=0, upgrade=False),
        "upload-next": img.ImageUploadWriteRequest(sequence=16, off=64, data=bytes(range(200))),
        "erase": img.ImageEraseRequest(sequence=17, slot=1),
        "echo-rsp": osm.EchoWriteResponse(sequence=0x42, r="hi"),
        "params-rsp": osm.MCUMgrParametersReadResponse(sequence=8, buf_size=2048, buf_count=4),
        "info-rsp": osm.OSApplicationInfoReadResponse(sequence=9, output="Zephyr"),
        "datetime-rsp": osm.DateTimeReadResponse(sequence=5, datetime="2026-12-08T02:25:08.123"),
        "upload-rsp": img.ImageUploadWriteResponse(sequence=16, off=264),
        "upload-last-rsp": img.ImageUploadWriteResponse(sequence=18, off=100072, match=True),
        "state-rsp": img.ImageStatesReadResponse(sequence=12, images=[
            img.ImageState(slot=0, version="1.2.3", hash=hash32, bootable=True, pending=False,
                           confirmed=True, active=True, permanent=False)], splitStatus=0),
    }


def plain(value):
    if isinstance(value, (bytes, bytearray)):
        return {"hex": bytes(value).hex()}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, (int, str, bool, float)):
        return plain(value.value)
    if isinstance(value, bool) or value is None or isinstance(value, (str, float)):
        return value
    if isinstance(value, int):
        return int(value)
    return str(value)


def encode():
    out = {}
    for name, m in cases().items():
        b = bytes(m)
        out[name] = {"message": b.hex(), "serial": serial(b, 128), "serial64": serial(b, 64)}
    print(json.dumps(out, indent=1, sort_keys=True))


def load_class(path):
    module, cls = path.rsplit(".", 1)
    mod = {"os_management": osm, "image_management": img, "error": smperr}[module]
    return getattr(mod, cls)


def decode():
    results = []
    for item in json.load(sys.stdin):
        try:
            if "serial" in item:
                d = packet.decode()
                next(d)
                message = None
                for line in item["serial"]:
                    try:
                        d.send(bytes.fromhex(line))
                    except StopIteration as stop:
                        message = stop.value
                        break
                results.append({"message": None if message is None else bytes(message).hex()})
            else:
                m = load_class(item["class"]).loads(bytes.fromhex(item["message"]))
                h = m.header
                fields = m.model_dump(exclude={"header", "version", "sequence", "smp_data"},
                                      exclude_none=True, by_alias=True)
                results.append({
                    "header": {"op": int(h.op), "version": int(h.version), "flags": int(h.flags),
                               "length": h.length, "group": int(h.group_id), "sequence": h.sequence,
                               "command": int(h.command_id)},
                    "fields": plain(fields),
                })
        except Exception as e:  # noqa: BLE001 - every failure is an answer for the test
            results.append({"error": f"{type(e).__name__}: {e}"})
    print(json.dumps(results, indent=1, sort_keys=True))


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("encode", "decode"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    encode() if sys.argv[1] == "encode" else decode()
