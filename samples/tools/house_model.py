#!/usr/bin/env python3
"""An independent model of rules/house.yaml over a samples/house-*/input.jsonl, written from
the documented rule semantics in README.md (not from the engine's code), to check expected.jsonl before it is committed:

    python3 samples/tools/house_model.py samples/house-leak/input.jsonl | diff - samples/house-leak/expected.jsonl

It models exactly what the house rules need: seasonal z-scores per local hour of the week over
the current hour plus the same hour of the last 4 weeks (population stddev floored at 0.5,
ready at 12 values, deviating values and values seen while firing not learned), for: 10m,
absent: 30m, the 21:00 report over [21:00 yesterday, 21:00) (timers run before a message at the
same instant), and the porch schedules. Europe/London is UTC in January, so hours are UTC hours.
"""
import json
import math
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal, ROUND_HALF_UP

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def iso(t):
    return (START + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def rnd(x, n=0):
    q = Decimal(1).scaleb(-n)
    v = Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP)
    return fmt(float(v))


def fmt(x):
    if x == math.floor(x):
        return str(int(x))
    return repr(x)


def line(t, rule, event, series, action, **fields):
    d = {"t": iso(t), "rule": rule, "event": event, "series": series, "action": action}
    d.update(fields)
    return (t, json.dumps(d, separators=(",", ":"), ensure_ascii=False))


def seasonal(msgs):
    """Yields (t, value, z, mean, deviates) per reading of one meter."""
    learned = {}  # hour of week -> list of (week, value)
    for t, v in msgs:
        days = (START + timedelta(seconds=t) - datetime(2025, 12, 29, tzinfo=timezone.utc)).days  # a Monday
        week, how = days // 7, (days % 7) * 24 + (t % 86400) // 3600
        vals = [x for (w, x) in learned.get(how, []) if week - 4 <= w <= week]
        n = len(vals)
        mean = sum(vals) / n if n else 0.0
        sd = max(math.sqrt(sum((x - mean) ** 2 for x in vals) / n) if n else 0.0, 0.5)
        z = (v - mean) / sd
        yield t, v, z, mean, n >= 12 and z > 4, lambda how=how, week=week, v=v: learned.setdefault(how, []).append((week, v))


def water_high(meter, msgs, out):
    phase, since, last = "idle", None, None
    for t, v, z, mean, dev, learn in seasonal(msgs):
        if phase == "pending" and t >= since + 600:  # the for: timer runs before this message
            lt, lv, lz, lmean = last
            out.append(line(since + 600, "water-high", "fire", f"home/{meter}/water", "tweet",
                            text=f"Water at {meter}: {rnd(lv, 1)} L/min, {rnd(lz, 1)} sigma above normal for this hour (usually {rnd(lmean, 1)} L/min). Closing the valve."))
            out.append(line(since + 600, "water-high", "fire", f"home/{meter}/water", "publish",
                            topic=f"valves/{meter}/set", payload="CLOSE", qos=1, retain=False))
            phase = "firing"
        if phase == "idle" and dev:
            phase, since = "pending", t
        elif phase == "pending" and not dev:
            phase = "idle"
        elif phase == "firing" and not dev:
            phase = "idle"
            out.append(line(t, "water-high", "resolve", f"home/{meter}/water", "tweet",
                            text=f"Water at {meter} is back to normal: {rnd(v, 1)} L/min"))
            learn = None  # scored while firing: not learned
        if not dev and learn and phase != "firing":
            learn()
        last = (t, v, z, mean)


def absent(meter, times, end, out):
    s = f"home/{meter}/water"
    for a, b in zip(times, times[1:] + [None]):
        if (b if b is not None else end) >= a + 1800 and (b is None or b > a + 1800 or True):
            if b is None and end < a + 1800:
                continue
            if b is not None and b <= a + 1800:
                continue
            out.append(line(a + 1800, "meter-offline", "fire", s, "tweet",
                            text=f"Water meter {meter} has sent nothing for 30 minutes"))
            if b is not None:
                out.append(line(b, "meter-offline", "resolve", s, "log",
                                message=f"water meter {meter} is reporting again", level="info"))


def schedules(main, lux, end, out):
    for day in range(0, end // 86400 + 1):
        at = day * 86400 + 21 * 3600
        win = [(t, m) for (t, m) in main if at - 86400 <= t < at]
        if at <= end and win:  # the rule's when: no readings all day, no report
            total = sum(m["used_l"] for _, m in win)
            peak = max(m["flow"]["lpm"] for _, m in win)
            out.append(line(at, "water-daily-report", "schedule", None, "tweet",
                            text=f"Water today: {rnd(total)} L, peak {rnd(peak, 1)} L/min"))
        at = day * 86400 + 18 * 3600 + 1800
        before = [l for (t, l) in lux if t < at]
        if at <= end and before and before[-1] < 50:
            out.append(line(at, "porch-light", "schedule", None, "publish",
                            topic="switches/porch/set", payload="ON", qos=0, retain=True))
        at = day * 86400 + 23 * 3600 + 1800
        if at <= end:
            out.append(line(at, "porch-light-off", "schedule", None, "publish",
                            topic="switches/porch/set", payload="OFF", qos=0, retain=True))


def main():
    rows = [json.loads(l) for l in open(sys.argv[1])]
    end = rows[-1]["t"]
    out = []
    meters = {}
    for r in rows:
        if r["topic"].endswith("/water"):
            meters.setdefault(r["topic"].split("/")[1], []).append((r["t"], r["payload"]))
    for meter, msgs in meters.items():
        water_high(meter, [(t, p["flow"]["lpm"]) for t, p in msgs], out)
        absent(meter, [t for t, _ in msgs], end, out)
    schedules(meters["main"], [(r["t"], r["payload"]["lux"]) for r in rows if r["topic"] == "home/porch/lux"], end, out)
    out.sort(key=lambda x: x[0])  # stable: fire tweet before its publish
    for _, text in out:
        print(text)


if __name__ == "__main__":
    main()
