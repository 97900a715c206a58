"""Print, as JSON lines, what a real wandb offline run recorded: its history rows and how it ended.

Reads the run's `.wandb` file with wandb's own protobuf `Record` type. The file is a LevelDB-style
log (wandb's internal "datastore"): a 7-byte W&B header, then 32 KiB blocks of chunks, each with a
7-byte header (crc32c, little-endian length, type: 1 full, 2 first, 3 middle, 4 last). This wandb
release ships no Python reader for it (wandb-core writes it), so the framing is read here.

    python wandb_offline_history.py RUN_DIR_OR_.wandb_FILE
Prints {"history": {...row..., "_step": N}} per logged row, {"run": {"id": ..., "resumed": ...}}
for the run record and {"exit": CODE} for the exit record.
"""
import glob
import json
import os
import struct
import sys

from wandb.proto import wandb_internal_pb2

HEADER = b":W&B"
BLOCK = 32 * 1024
CHUNK_HEADER = 7


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(HEADER):
        raise SystemExit(f"{path}: not a wandb datastore file")
    pos, pending = 7, b""
    while pos + CHUNK_HEADER <= len(data):
        left_in_block = BLOCK - pos % BLOCK
        if left_in_block < CHUNK_HEADER:  # the block's tail is padding
            pos += left_in_block
            continue
        _crc, length, kind = struct.unpack("<IHB", data[pos:pos + CHUNK_HEADER])
        if kind == 0 and length == 0:  # zero fill at the end of a block or of a file being written
            pos += left_in_block
            continue
        if pos + CHUNK_HEADER + length > len(data):  # a run killed mid-write: its last chunk is cut off
            return
        chunk = data[pos + CHUNK_HEADER:pos + CHUNK_HEADER + length]
        pos += CHUNK_HEADER + length
        if kind == 1:
            pending = b""
            yield chunk
        elif kind == 2:
            pending = chunk
        elif kind == 3:
            pending += chunk
        elif kind == 4:
            yield pending + chunk
            pending = b""
        else:
            raise SystemExit(f"{path}: unknown chunk type {kind} at {pos}")


def main():
    target = sys.argv[1]
    path = target if target.endswith(".wandb") else glob.glob(os.path.join(target, "*.wandb"))[0]
    for raw in records(path):
        rec = wandb_internal_pb2.Record()
        rec.ParseFromString(raw)
        which = rec.WhichOneof("record_type")
        if which == "history":
            row = {}
            for item in rec.history.item:
                key = item.key or "/".join(item.nested_key)
                row[key] = json.loads(item.value_json)
            if rec.history.HasField("step"):
                row.setdefault("_step", rec.history.step.num)
            print(json.dumps({"history": row}))
        elif which == "run":
            print(json.dumps({"run": {"id": rec.run.run_id, "resumed": rec.run.resumed, "config": {i.key: json.loads(i.value_json) for i in rec.run.config.update}}}))
        elif which == "exit":
            print(json.dumps({"exit": rec.exit.exit_code}))


if __name__ == "__main__":
    main()
