#!/usr/bin/env python3
"""smp_device.py -- a minimal SMP device for b2c's client tests, built on the `smp` package only.

Opens a pseudo-terminal, prints the path of its slave end as the only stdout line, and serves SMP over the
console framing with smp's own packet decoder and encoder (line length 128):
  os echo      answers r = d
  os params    answers buf_size 512, buf_count 4
  os reset     never answers (a device that resets without answering)
  anything else answers {"rc": 8} (NOT_SUPPORTED)
A frame smp's decoder rejects (a bad CRC, bad base64) is dropped without an answer, as Zephyr does.
Nothing here reads b2c's sources.
"""
import os
import sys
import tty

import cbor2
from smp import header as smphdr
from smp import os_management as osm
from smp import packet


def respond(frame):
    hdr = smphdr.Header.loads(frame[:8])
    group, command = int(hdr.group_id), int(hdr.command_id)
    if group == 0 and command == 0:
        request = osm.EchoWriteRequest.loads(frame)
        return osm.EchoWriteResponse(sequence=hdr.sequence, r=request.d).BYTES
    if group == 0 and command == 6:
        return osm.MCUMgrParametersReadResponse(sequence=hdr.sequence, buf_size=512, buf_count=4).BYTES
    if group == 0 and command == 5:
        return None
    body = cbor2.dumps({"rc": 8})
    rsp = smphdr.Header(
        op=smphdr.OP(int(hdr.op) + 1), version=hdr.version, flags=smphdr.Flag(0), length=len(body),
        group_id=hdr.group_id, sequence=hdr.sequence, command_id=hdr.command_id)
    return rsp.BYTES + body


def main():
    master, slave = os.openpty()
    tty.setraw(slave)
    print(os.ttyname(slave), flush=True)
    buffer = b""
    decoder = packet.decode()
    next(decoder)
    while True:
        data = os.read(master, 4096)
        if not data:
            return 0
        buffer += data
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            frame = None
            try:
                decoder.send(line + b"\n")
            except StopIteration as done:
                frame = bytes(done.value)
            except Exception as bad:  # noqa: BLE001 -- any frame smp rejects is dropped
                sys.stderr.write("dropped a frame: %s\n" % bad)
                decoder = packet.decode()
                next(decoder)
                continue
            if frame is None:
                continue
            decoder = packet.decode()
            next(decoder)
            answer = respond(frame)
            if answer is not None:
                for out in packet.encode(answer, line_length=128):
                    os.write(master, out)

if __name__ == "__main__":
    sys.exit(main())
