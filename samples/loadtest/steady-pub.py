#!/usr/bin/env python3
"""Steady MQTT 3.1.1 publisher for samples/loadtest/soak.sh (no dependencies).

    steady-pub.py HOST PORT RATE SECONDS SERIES QOS

Publishes RATE messages a second for SECONDS seconds, round-robin over SERIES topics
home/m0000/water .. home/m<SERIES-1>/water, payload {"lpm": <n>, "ts": <unix>}: normal readings
(lpm 2..29) with one 45 L/min spike in every 100 readings of a series, so the threshold rule fires
and resolves now and then. Messages go out in batches every 10 ms (one socket write each), so the
publisher costs a few percent of one core. At QoS 1 a reader thread counts the PUBACKs.
Prints "published N acked M" at the end. Loopback use only: the host must be 127.0.0.1.
"""
import os
import socket
import struct
import sys
import threading
import time


def remaining_length(n):
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def utf8(s):
    b = s.encode()
    return struct.pack("!H", len(b)) + b


def connect_packet(client_id):
    body = utf8("MQTT") + bytes([4, 0x02]) + struct.pack("!H", 0) + utf8(client_id)
    return b"\x10" + remaining_length(len(body)) + body


def publish_packet(topic, payload, qos, pid):
    body = topic + (struct.pack("!H", pid) if qos else b"") + payload
    return bytes([0x30 | (qos << 1)]) + remaining_length(len(body)) + body


class AckCounter(threading.Thread):
    def __init__(self, sock):
        super().__init__(daemon=True)
        self.sock, self.acked = sock, 0

    def run(self):
        buf = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buf += chunk
            while True:
                frame = split_packet(buf)
                if frame is None:
                    break
                kind, size = frame
                if kind == 4:  # PUBACK
                    self.acked += 1
                buf = buf[size:]


def split_packet(buf):
    """(packet type, total size) of the first complete packet in buf, or None."""
    frame = frame_at(buf, 0)
    return None if frame is None else (frame[0] >> 4, frame[2])


def frame_at(buf, start):
    """(first byte, body start, end) of the complete packet at buf[start:], or None."""
    length, mult, i = 0, 1, start + 1
    while True:
        if i >= len(buf):
            return None
        b = buf[i]
        length += (b & 0x7F) * mult
        mult *= 128
        i += 1
        if not b & 0x80:
            break
    if len(buf) < i + length:
        return None
    return buf[start], i, i + length


def main():
    host, port, rate, seconds, series, qos = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback only")
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(connect_packet("soak-pub-%d" % os.getpid()))
    connack = sock.recv(4)
    if len(connack) < 4 or connack[3] != 0:
        sys.exit("connect refused: %r" % connack)
    acks = AckCounter(sock)
    acks.start()
    topics = [utf8("home/m%04d/water" % m) for m in range(series)]
    tick = 0.01
    per_tick = rate * tick
    start = time.monotonic()
    sent, owed, pid = 0, 0.0, 0
    end = start + seconds
    while True:
        now = time.monotonic()
        if now >= end:
            break
        owed = rate * (now - start) - sent
        n = int(owed)
        if n > 0:
            ts = int(time.time())
            out = bytearray()
            for _ in range(n):
                m = sent % series
                i = sent // series
                lpm = 45 if i % 100 == 99 else 2 + (i % 28)
                pid = pid % 65535 + 1
                out += publish_packet(topics[m], b'{"lpm": %d, "ts": %d}' % (lpm, ts), qos, pid)
                sent += 1
            sock.sendall(out)
        time.sleep(max(0.0, start + (sent + per_tick) / rate - time.monotonic()))
    if qos:
        deadline = time.monotonic() + 30
        while acks.acked < sent and time.monotonic() < deadline:
            time.sleep(0.1)
    sock.sendall(b"\xe0\x00")  # DISCONNECT
    sock.close()
    print("published %d acked %d" % (sent, acks.acked if qos else sent))


if __name__ == "__main__":
    main()
