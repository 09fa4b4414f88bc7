#!/usr/bin/env python3
"""Makes the pre-aliases fixture: runs the embedded host built from commit 7501460 on a fresh data
directory, ingests the readings below, registers two sensors and acknowledges one alert, captures what
the API answers, then stops the host gracefully (SIGINT) so every grain writes its state and SQLite
folds its WAL back into the database files.

Usage (from the repository root, the host built with `dotnet build src/AirQuality.Host -c Release`):
    python3 tests/AirQuality.Host.Tests/Fixtures/pre-aliases/make-fixture.py <END> <out-dir>
END is the newest reading's time (UTC, e.g. 2026-12-06T21:30:00Z) and must be in the past, at most a few
minutes ago. <out-dir> receives grains.db, index.db (and the outbox database if the host made one) and
capture/, the API's answers before the stop. Run once; it is kept to say how the files were made, not as
part of any build or test.
"""
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
HOST_DIR = os.path.join(ROOT, "src", "AirQuality.Host", "bin", "Release", "net10.0")
KEY = "fixture-key-not-a-secret"  # only for this one local run

# The rule the test host must configure too (beside the three default rules).
RULES = {
    "Alerts:Rules:0:Id": "pm25-high",
    "Alerts:Rules:0:Kind": "QuantityAbove",
    "Alerts:Rules:0:Quantity": "Pm25",
    "Alerts:Rules:0:Threshold": "100",
    "Alerts:Rules:0:ClearThreshold": "80",
    "Alerts:Rules:0:Severity": "critical",
}

BERLIN1 = {"latitude": 52.52, "longitude": 13.405, "altitude": 34, "country": "DE", "indoor": False}
BERLIN2 = {"latitude": 52.5, "longitude": 13.42, "country": "DE"}
MUNICH1 = {"latitude": 48.1372, "longitude": 11.5756, "altitude": 519, "country": "DE", "indoor": False}
PARIS1 = {"latitude": 48.8566, "longitude": 2.3522, "country": "FR"}
AMSTERDAM1 = {"latitude": 52.3676, "longitude": 4.9041, "country": "NL", "indoor": False}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def reading(sensor, t, values, location=None, sensor_type=None):
    r = {"sensorId": sensor, "timestamp": iso(t), "values": values}
    if location is not None:
        r["location"] = location
    if sensor_type is not None:
        r["sensorType"] = sensor_type
    return r


def batches(end):
    """The ingest requests, in order: (content type, list of readings)."""
    m = lambda minutes: end + dt.timedelta(minutes=minutes)
    out = []
    # Berlin 1: every 10 min for two hours, low values, an SDS011.
    out.append(("application/x-ndjson", [
        reading("fx-berlin-1", m(-120 + 10 * i),
                {"pm25": 8 + 0.5 * i, "pm10": 14 + i, "temperature": round(4.5 - 0.1 * i, 1), "humidity": 80},
                BERLIN1, "SDS011")
        for i in range(13)]))
    # Berlin 2: PM2.5 stuck at 12 for 20 readings, one request each (the stuck rule counts evaluations).
    for i in range(20):
        out.append(("application/x-ndjson", [reading("fx-berlin-2", m(-115 + 5 * i), {"pm25": 12, "pm10": 20 + i % 3}, BERLIN2)]))
    # Munich 1: five readings 5 to 4 hours ago: offline (silent over 2 h) as soon as it is evaluated.
    out.append(("application/x-ndjson", [
        reading("fx-munich-1", m(-300 + 15 * i), {"pm25": 6 + i, "pm10": 10 + i}, MUNICH1) for i in range(5)]))
    # Paris 1: PM2.5 rising to 160 over the last hour: pm25-high raised.
    pm25 = [22, 25, 30, 45, 80, 130, 160]
    out.append(("application/x-ndjson", [
        reading("fx-paris-1", m(-60 + 10 * i), {"pm25": pm25[i], "pm10": pm25[i] + 15, "no2": 40 + i}, PARIS1) for i in range(7)]))
    # Amsterdam 1: 130 raises pm25-high, 50 half an hour later clears it.
    out.append(("application/json", [reading("fx-amsterdam-1", m(-30), {"pm25": 130, "no2": 55, "o3": 30}, AMSTERDAM1)]))
    out.append(("application/json", [reading("fx-amsterdam-1", m(0), {"pm25": 50, "no2": 40, "o3": 35}, AMSTERDAM1)]))
    # No location: state and history, nothing in the index.
    out.append(("application/json", [reading("fx-nolocation-1", m(-30), {"pm25": 5}), reading("fx-nolocation-1", m(0), {"pm25": 6})]))
    return out


def request(base, method, path, body=None, content_type=None, headers=None):
    data = None if body is None else body.encode("utf-8")
    req = urllib.request.Request(base + path, data=data, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def graphql(base, query, variables=None, key=None):
    headers = {"Accept": "application/graphql-response+json"}
    if key:
        headers["X-Api-Key"] = key
    status, text = request(base, "POST", "/graphql", json.dumps({"query": query, "variables": variables}), "application/json", headers)
    body = json.loads(text)
    if status != 200 or "errors" in body:
        raise SystemExit(f"GraphQL failed ({status}): {text}")
    return body["data"]


def main():
    end = dt.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    out_dir = os.path.abspath(sys.argv[2])
    os.makedirs(os.path.join(out_dir, "capture"), exist_ok=True)
    data = tempfile.mkdtemp(prefix="airq-fixture-")
    http_port, silo_port, gateway_port = free_port(), free_port(), free_port()
    base = f"http://127.0.0.1:{http_port}"
    args = ["dotnet", "AirQuality.Host.dll", f"--DataDirectory={data}", f"--urls={base}",
            f"--Orleans:SiloPort={silo_port}", f"--Orleans:GatewayPort={gateway_port}",
            "--Gateway:Auth:ApiKeys:0:Name=fixture",
            f"--Gateway:Auth:ApiKeys:0:Sha256={hashlib.sha256(KEY.encode()).hexdigest()}",
            "--Gateway:Auth:ApiKeys:0:Roles:0=AirQuality.Operator"]
    args += [f"--{k}={v}" for k, v in RULES.items()]
    log = open(os.path.join(out_dir, "capture", "host.log"), "w")
    host = subprocess.Popen(args, cwd=HOST_DIR, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(120):
            try:
                if request(base, "GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit("host did not get ready")

        sent = []
        for content_type, readings in batches(end):
            body = "\n".join(json.dumps(r) for r in readings) if content_type == "application/x-ndjson" else json.dumps(readings)
            status, text = request(base, "POST", "/api/v1/readings", body, content_type)
            sent.append({"contentType": content_type, "status": status, "answer": json.loads(text), "readings": readings})
            if status != 200:
                raise SystemExit(f"ingest failed ({status}): {text}")

        registered = [
            graphql(base, "mutation($i: SensorInput!) { registerSensor(input: $i) { id name } }",
                    {"i": {"id": "fx-hamburg-1", "name": "Hamburg Hafen", "latitude": 53.5461, "longitude": 9.9661, "country": "DE", "indoor": True}}, KEY),
            graphql(base, "mutation($i: SensorInput!) { registerSensor(input: $i) { id name } }",
                    {"i": {"id": "fx-berlin-1", "name": "Alexanderplatz", "latitude": 52.52, "longitude": 13.405, "altitude": 34, "country": "DE", "indoor": False}}, KEY),
        ]
        offline = json.loads(request(base, "GET", "/api/v1/sensors/fx-munich-1/alerts")[1])
        acknowledged = graphql(base, "mutation($id: ID!, $n: String) { acknowledgeAlert(id: $id, note: $n) { id state acknowledgedAt } }",
                               {"id": offline[0]["id"], "n": "fixture: known outage"}, KEY)
        with open(os.path.join(out_dir, "capture", "requests.json"), "w") as f:
            json.dump({"end": iso(end), "sent": sent, "registered": registered, "acknowledged": acknowledged}, f, indent=1)

        time.sleep(15)  # the overview regions hear from their tiles within two 5 s intervals
        capture = {}
        sensors = ["fx-berlin-1", "fx-berlin-2", "fx-munich-1", "fx-paris-1", "fx-amsterdam-1", "fx-nolocation-1", "fx-hamburg-1"]
        window = f"from={iso(end - dt.timedelta(hours=6))}&to={iso(end + dt.timedelta(hours=1))}"
        for s in sensors:
            capture[s] = {
                "view": json.loads(request(base, "GET", f"/api/v1/sensors/{s}")[1]),
                "alerts": json.loads(request(base, "GET", f"/api/v1/sensors/{s}/alerts")[1]),
                "pm25": json.loads(request(base, "GET", f"/api/v1/sensors/{s}/history?quantity=pm25&{window}")[1]),
            }
        for name, query in [("de", "country=DE"), ("fr", "country=FR"), ("nl", "country=NL"), ("north-germany", "bbox=9,52,14,54"), ("near-paris", "near=48.85,2.35,50")]:
            capture["list-" + name] = json.loads(request(base, "GET", f"/api/v1/sensors?{query}")[1])
        capture["graphql"] = graphql(base, """{
          de: sensors(country: "DE") { totalCount edges { node { id status lastSeen location { latitude longitude country indoor } } } }
          open: alerts { totalCount edges { node { id sensorId rule state severity raisedAt acknowledgedAt clearedAt triggerValue message } } }
          cleared: alerts(state: CLEARED) { totalCount edges { node { id sensorId rule state severity raisedAt clearedAt triggerValue message } } }
          grid: sensorGrid(bbox: [-180, -90, 180, 90], standard: US_EPA_2024, precision: 2) { key count online stale neverSeen withIndex aqiMax }
          tiles: sensorGrid(bbox: [-10, 35, 30, 60], standard: US_EPA_2024, precision: 3) { key count online stale neverSeen withIndex aqiMax }
        }""")
        with open(os.path.join(out_dir, "capture", "before-stop.json"), "w") as f:
            json.dump(capture, f, indent=1)
    finally:
        stopping = dt.datetime.now(dt.timezone.utc)
        host.send_signal(signal.SIGINT)
        code = host.wait(timeout=120)
        stopped = dt.datetime.now(dt.timezone.utc)
        log.close()
        print(f"host exited {code}; SIGINT at {stopping.isoformat()}, exited at {stopped.isoformat()}")

    for name in sorted(os.listdir(data)):
        path = os.path.join(data, name)
        print(f"{name}: {'dir' if os.path.isdir(path) else os.path.getsize(path)}")
    for name in ["grains.db", "index.db", "alerts.db"]:
        if os.path.exists(os.path.join(data, name)):
            for suffix in ["-wal", "-shm", "-journal"]:
                extra = os.path.join(data, name + suffix)
                if os.path.exists(extra) and os.path.getsize(extra) > 0:
                    raise SystemExit(f"{extra} has {os.path.getsize(extra)} bytes: not checkpointed")
            shutil.copy2(os.path.join(data, name), os.path.join(out_dir, name))
    with open(os.path.join(out_dir, "capture", "stopped.txt"), "w") as f:
        f.write(f"SIGINT {stopping.isoformat()}\nexited {stopped.isoformat()}\nexit code {code}\ndata {data}\n")


if __name__ == "__main__":
    main()
