#!/usr/bin/env python3
"""Deterministic simulation of the house in rules/house.yaml, for samples/house-*/input.jsonl.

    python3 samples/tools/house_sim.py leak    > samples/house-leak/input.jsonl
    python3 samples/tools/house_sim.py offline > samples/house-offline/input.jsonl

Times are seconds after replay's default --start, 2026-01-01T00:00:00Z (a Thursday); January in
Europe/London is UTC, so local hours are UTC hours. Five weeks of data:
  * home/<meter>/water every 10 minutes: {"flow": {"lpm": F}, "used_l": L}, F follows a daily and
    weekly pattern (night ~0.1, morning showers ~8, weekend garden watering on Saturday morning,
    evenings ~4) with +-30 % noise; used_l = F * 10 rounded to whole litres (as meters count).
  * home/porch/lux every 30 minutes: daylight 08:00-16:30, else 2 lux; on two evenings (days 9 and
    23) party lights make it 400 lux from 17:00 to 20:00, so the porch light stays off.
Scenarios:
  leak     meter main; on day 27 (Wed 28 Jan) a leak of ~6 L/min starts at 02:00; after the valve
           closes (the first reading after the fire, 02:20) the meter reads 0 until 08:00.
  offline  meters main and garden; garden is silent on day 12 from 10:00 to 14:00, and stops for
           good on day 25 at 16:00.
The random numbers come from a fixed linear congruential generator, so output never changes.
"""
import json
import sys

DAY = 86400
DAYS = 35
STEP = 600


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.state >> 11) / float(1 << 53)


def base_flow(day, hour):
    weekday = (day + 3) % 7  # 0 = Monday; day 0 is Thursday 1 Jan 2026
    weekend = weekday >= 5
    if hour < 6:
        return 0.1
    if hour < 9:
        if weekend:
            return 9.0 if (weekday == 5 and hour == 7) else 3.0  # Saturday 07:00 garden watering
        return 8.0
    if hour < 17:
        return 3.0 if weekend else 1.0
    if hour < 22:
        return 4.0
    return 0.5


def water(meter, seed, scenario):
    rnd = Lcg(seed)
    lines = []
    for t in range(0, DAYS * DAY, STEP):
        day, hour = divmod(t, DAY)[0], (t % DAY) // 3600
        flow = base_flow(day, hour) * (0.7 + 0.6 * rnd.next())
        if scenario == "leak" and day == 27:
            minute = (t % DAY) // 60
            if 120 <= minute < 140:      # 02:00 and 02:10: the leak
                flow = 6.0 + rnd.next()
            elif 140 <= minute < 480:    # valve closed at 02:10 until someone opens it at 08:00
                flow = 0.0
        if scenario == "offline" and meter == "garden":
            if day == 12 and 10 <= hour < 14:
                continue
            if day > 25 or (day == 25 and hour >= 16):
                continue
        flow = round(flow, 2)
        lines.append((t, f"home/{meter}/water", {"flow": {"lpm": flow}, "used_l": int(round(flow * 10))}))
    return lines


def porch():
    lines = []
    for t in range(0, DAYS * DAY, 1800):
        day, minute = divmod(t, DAY)[0], (t % DAY) // 60
        lux = 2
        if 8 * 60 <= minute < 16 * 60 + 30:
            lux = 300 + ((minute - 8 * 60) * (16 * 60 + 30 - minute)) // 20
        if day in (9, 23) and 17 * 60 <= minute < 20 * 60:
            lux = 400
        lines.append((t, "home/porch/lux", {"lux": lux}))
    return lines


def main():
    scenario = sys.argv[1] if len(sys.argv) > 1 else "leak"
    lines = water("main", 42, scenario) + porch()
    if scenario == "offline":
        lines += water("garden", 7, scenario)
    order = {"home/main/water": 0, "home/garden/water": 1, "home/porch/lux": 2}
    lines.sort(key=lambda l: (l[0], order[l[1]]))
    out = sys.stdout
    for t, topic, payload in lines:
        out.write(json.dumps({"t": t, "topic": topic, "payload": payload}, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
