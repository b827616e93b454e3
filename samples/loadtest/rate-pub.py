#!/usr/bin/env python3
"""Paced (or flood) MQTT 3.1.1 publisher with a latency-measuring subscriber, for
samples/loadtest/rate-load.sh (no dependencies).

    rate-pub.py HOST PORT RATE SECONDS SERIES QOS FILTER [WAIT]

Publishes RATE messages a second for SECONDS seconds (RATE 0: a flood, SECONDS * 10,000 messages
written as fast as the socket takes them), round-robin over SERIES topics home/m0000/water ..
home/m<SERIES-1>/water. The canonical workload: within each series the readings alternate
between lpm 20 and lpm 45, so the threshold rule `lpm > 30` fires on every other message (and
resolves on the next). Payload {"lpm": n, "seq": s}: s numbers the messages from 0.

At the given rate every message is written when it is due (one socket write per due group, so
at 2,000 msg/s one write per message), not in batches. A second connection subscribes to FILTER
at QOS and takes the first number in each payload it receives as the seq of the message that
caused it (the alert rule publishes "{{seq}}"; mosquitto's own pub->sub run receives the
message itself), and records the time from that message's write to the arrival. After
publishing it waits up to WAIT seconds (default 10) for the expected arrivals: all messages when
FILTER is home/..., the firing half otherwise.

Prints one line of key=value: published, acked (QoS 1 PUBACKs), received, expected, seconds
(first write to last arrival), rate, p50_ms, p99_ms, max_ms. Loopback only.
"""
import importlib.util
import os
import re
import socket
import struct
import sys
import threading
import time


# The packet helpers of the steady publisher (same folder).
_spec = importlib.util.spec_from_file_location("steady_pub", os.path.join(os.path.dirname(os.path.abspath(__file__)), "steady-pub.py"))
_steady = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_steady)
remaining_length, utf8, publish_packet, split_packet = _steady.remaining_length, _steady.utf8, _steady.publish_packet, _steady.frame_at


def connect(host, port, client_id):
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    body = utf8("MQTT") + bytes([4, 0x02]) + struct.pack("!H", 0) + utf8(client_id)
    sock.sendall(b"\x10" + remaining_length(len(body)) + body)
    connack = sock.recv(4)
    if len(connack) < 4 or connack[3] != 0:
        sys.exit("connect refused: %r" % connack)
    return sock


NUMBER = re.compile(rb"\d+")


class Reader(threading.Thread):
    """Counts PUBACKs (publisher connection) or received publishes with their arrival times (subscriber)."""

    def __init__(self, sock, sent_at=None):
        super().__init__(daemon=True)
        self.sock, self.sent_at = sock, sent_at
        self.acked, self.received, self.latencies, self.last = 0, 0, [], 0

    def run(self):
        buf = b""
        while True:
            try:
                chunk = self.sock.recv(1 << 20)
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter()
            buf += chunk
            pos, acks = 0, []
            while True:
                frame = split_packet(buf, pos)
                if frame is None:
                    break
                first, body, end = frame
                kind = first >> 4
                if kind == 4:
                    self.acked += 1
                elif kind == 3 and self.sent_at is not None:
                    qos = (first >> 1) & 3
                    tlen = struct.unpack_from("!H", buf, body)[0]
                    p = body + 2 + tlen
                    if qos:
                        acks.append(b"\x40\x02" + buf[p:p + 2])
                        p += 2
                    m = NUMBER.search(buf, p, end) if self.sent_at is not None else None
                    # The payload's first number: the seq ("{{seq}}"), or in {"lpm": n, "seq": s} the second.
                    if m is not None and buf[p:p + 1] == b"{":
                        m = NUMBER.search(buf, m.end(), end)
                    if m is not None:
                        seq = int(m.group())
                        if 0 <= seq < len(self.sent_at) and self.sent_at[seq]:
                            self.latencies.append(now - self.sent_at[seq])
                    self.received += 1
                    self.last = now
                pos = end
            buf = buf[pos:]
            if acks:
                self.sock.sendall(b"".join(acks))


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main():
    host, port, rate, seconds, series, qos, filt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
    wait = float(sys.argv[8]) if len(sys.argv) > 8 else 10.0
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback only")
    total = int(seconds * (rate if rate > 0 else 10000))
    topics = [utf8("home/m%04d/water" % m) for m in range(series)]
    packets = []
    for seq in range(total):
        m, i = seq % series, seq // series
        lpm = 45 if i % 2 else 20
        packets.append(publish_packet(topics[m], b'{"lpm": %d, "seq": %d}' % (lpm, seq), qos, seq % 65535 + 1))
    expected = total if filt.startswith("home/") else sum(1 for seq in range(total) if (seq // series) % 2)
    sent_at = [0.0] * total

    sub = connect(host, port, "rate-sub-%d" % os.getpid())
    body = struct.pack("!H", 1) + utf8(filt) + bytes([qos])
    sub.sendall(b"\x82" + remaining_length(len(body)) + body)
    sub.recv(5)  # SUBACK
    reader = Reader(sub, sent_at)
    reader.start()
    pub = connect(host, port, "rate-pub-%d" % os.getpid())
    acks = Reader(pub)
    acks.start()

    start = time.perf_counter()
    if rate <= 0:
        for k in range(0, total, 200):
            now = time.perf_counter()
            for s in range(k, min(total, k + 200)):
                sent_at[s] = now
            pub.sendall(b"".join(packets[k:k + 200]))
    else:
        sent = 0
        while sent < total:
            now = time.perf_counter()
            due = min(total, int((now - start) * rate) + 1)
            if due > sent:
                for s in range(sent, due):
                    sent_at[s] = now
                pub.sendall(b"".join(packets[sent:due]) if due - sent > 1 else packets[sent])
                sent = due
            nxt = start + sent / rate
            delay = nxt - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
    deadline = time.perf_counter() + wait
    while (reader.received < expected or (qos and acks.acked < total)) and time.perf_counter() < deadline:
        time.sleep(0.01)
    for s in (pub, sub):
        try:
            s.sendall(b"\xe0\x00")
            s.close()
        except OSError:
            pass
    lat = sorted(reader.latencies)
    secs = (reader.last or time.perf_counter()) - start
    print("published=%d acked=%d received=%d expected=%d seconds=%.3f rate=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f" % (
        total, acks.acked if qos else total, reader.received, expected, secs, reader.received / secs if secs > 0 else 0,
        percentile(lat, 0.5) * 1e3, percentile(lat, 0.99) * 1e3, (lat[-1] if lat else float("nan")) * 1e3))


if __name__ == "__main__":
    main()
