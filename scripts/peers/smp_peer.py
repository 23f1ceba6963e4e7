#!/usr/bin/env python3
"""Peer helpers for the SMP device tests: what smpclient and imgtool's dependencies do, so the Swift tests can use
third-party code as the oracle.

    smp_peer.py key SEED_TEXT OUT.pem        Ed25519 private key whose seed is SHA-256 of SEED_TEXT (PKCS#8 PEM)
    smp_peer.py udp HOST PORT                 smpclient over UDP: the survey below
    smp_peer.py survey PORT                   smpclient over serial: every OS/image read, parsed; one JSON line
    smp_peer.py upload PORT FILE [--upgrade]  smpclient over serial: upload FILE; one JSON line (or the error)
"""
import asyncio
import hashlib
import json
import sys


def key(seed_text, out):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    k = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed_text.encode()).digest())
    pem = k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption())
    with open(out, "wb") as f:
        f.write(pem)


def _plain(value):
    """Bytes as hex, enums and the rest as text: what JSON cannot hold."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    return str(value)


async def survey(client):
    """Every OS and image read smpclient models, each parsed by smp's models: the fields, or the error's class."""
    from smpclient.requests import image_management as img
    from smpclient.requests import os_management as os_

    requests = {
        "echo": os_.EchoWrite(d="survey"),
        "params": os_.MCUMgrParametersRead(),
        "taskstat": os_.TaskStatisticsRead(),
        "mpstat": os_.MemoryPoolStatisticsRead(),
        "datetime-write": os_.DateTimeWrite(datetime="2026-12-08T02:25:08"),
        "datetime-read": os_.DateTimeRead(),
        "info": os_.OSApplicationInfoRead(format="sn"),
        "bootloader": os_.BootloaderInformationRead(),
        "bootloader-mode": os_.BootloaderInformationRead(query="mode"),
        "state": img.ImageStatesRead(),
    }
    out = {}
    for name, request in requests.items():
        try:
            r = await client.request(request)
            fields = r.model_dump(exclude={"header", "version", "sequence", "smp_data"})
            out[name] = {"type": type(r).__name__, "fields": fields}
        except Exception as e:  # a parse failure is a finding, not a crash of the peer
            out[name] = {"type": "exception", "error": type(e).__name__, "detail": str(e)[:300]}
    return out


async def udp(host, port):
    from smpclient import SMPClient
    from smpclient.transport.udp import SMPUDPTransport

    transport = SMPUDPTransport()
    client = SMPClient(transport, host)
    await transport.connect(host, 2.0, port=port)
    print(json.dumps(await survey(client), default=_plain))
    await transport.disconnect()


async def serial_survey(port):
    from smpclient import SMPClient
    from smpclient.transport.serial import SMPSerialTransport

    client = SMPClient(SMPSerialTransport(), port)
    await client.connect()
    print(json.dumps(await survey(client), default=_plain))
    await client.disconnect()


async def upload(port, path, upgrade):
    from smpclient import SMPClient
    from smpclient.transport.serial import SMPSerialTransport

    with open(path, "rb") as f:
        image = f.read()
    client = SMPClient(SMPSerialTransport(), port)
    await client.connect()
    last = 0
    try:
        async for off in client.upload(image, upgrade=upgrade):
            last = off
        print(json.dumps({"ok": True, "off": last, "max_unencoded": client._transport.max_unencoded_size}))
    except Exception as e:  # the upload's failure is the answer
        print(json.dumps({"ok": False, "error": type(e).__name__, "detail": str(e)}))
    await client.disconnect()


def main(argv):
    if argv[:1] == ["key"] and len(argv) == 3:
        key(argv[1], argv[2])
    elif argv[:1] == ["udp"] and len(argv) == 3:
        asyncio.run(udp(argv[1], int(argv[2])))
    elif argv[:1] == ["survey"] and len(argv) == 2:
        asyncio.run(serial_survey(argv[1]))
    elif argv[:1] == ["upload"] and len(argv) in (3, 4):
        asyncio.run(upload(argv[1], argv[2], argv[3:] == ["--upgrade"]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
