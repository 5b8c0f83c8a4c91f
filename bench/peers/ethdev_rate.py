"""The RX packet rate of a running DPDK process, read from its telemetry socket.

    ethdev_rate.py SOCKET PID WARMUP_S SECONDS

Waits (up to 60 s) for SOCKET (RUNTIME_DIR/dpdk_telemetry.v2) and for the
process's ports to have received a first packet, lets WARMUP_S pass, then
reads /ethdev/stats of every port twice, SECONDS apart, and prints one JSON
object: packets received in the window, its length, and packets/s. The
counter is the PMD's ipackets: what the application took off the port with
rx_burst. Exits 1 with a message when the process died or never received.
"""
import json
import os
import socket
import sys
import time


def fail(msg):
    sys.exit("ethdev_rate: " + msg)


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def main():
    path, pid, warmup, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    deadline = time.monotonic() + 60
    while not os.path.exists(path):
        if not alive(pid):
            fail("the DPDK process exited before its telemetry socket appeared")
        if time.monotonic() > deadline:
            fail(f"{path} did not appear in 60 s")
        time.sleep(0.2)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    json.loads(s.recv(4096).decode())  # the greeting: version, pid, max_output_len

    def query(cmd):
        try:
            s.send(cmd.encode())
            return json.loads(s.recv(1 << 20).decode())
        except (OSError, ValueError) as e:
            fail(f"telemetry query {cmd} failed ({e}): did the DPDK process exit?")

    def received():
        ports = query("/ethdev/list")["/ethdev/list"]
        return sum(query(f"/ethdev/stats,{p}")["/ethdev/stats"]["ipackets"] for p in ports), len(ports)

    while received()[0] == 0:
        if not alive(pid):
            fail("the DPDK process exited before receiving a packet")
        if time.monotonic() > deadline:
            fail("no packet received in 60 s")
        time.sleep(0.2)
    time.sleep(warmup)
    p0, ports = received()
    t0 = time.monotonic()
    time.sleep(seconds)
    p1, _ = received()
    t1 = time.monotonic()
    if not alive(pid):
        fail("the DPDK process exited during the measurement")
    print(json.dumps({"ports": ports, "packets": p1 - p0, "seconds": round(t1 - t0, 3),
                      "pps": round((p1 - p0) / (t1 - t0))}))


if __name__ == "__main__":
    main()
