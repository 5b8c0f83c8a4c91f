#!/usr/bin/env python3
"""bench/score-detection on a run small enough to count by hand.

    simbox   s1 flagged by simbox.fanout 100 s after its onset, s2 missed
    spammer  p1 flagged by sms.flood; n1, a normal user, flagged by it too
    gateway  g1 named by a device anomaly (member_imsis), g2 by its group (the IMEI)
    batch    b1 named by a block anomaly (member_msisdns), b2 missed (another block)
    normal   n1 (flagged: a false positive), n2, n3, n4

so simbox: precision 1, recall 1/2; spammer: precision 1/2 (n1), recall 1;
the false-positive rate 1/4; time to detect 100 s for s1.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.environ.get("CDRSENTRY_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
T0 = "2026-01-05T08:00:00.000000Z"


def at(seconds):
    return "2026-01-05T08:%02d:%02d.000000Z" % (seconds // 60, seconds % 60)


def anomaly(rule, time, subject="subscriber", **who):
    a = {"type": "anomaly", "rule": rule, "time": time, "subject": subject, "window": {"length_s": 3600}}
    a.update(who)
    return a


def main():
    rows = [
        ("s1", "8613900000001", "simbox", T0, "simbox.fanout", ""),
        ("s2", "8613900000002", "simbox", T0, "simbox.fanout", ""),
        ("p1", "8613900000003", "sms_spammer", T0, "sms.flood", ""),
        ("g1", "8613900000004", "gateway_sim", T0, "simbox.imei_rotation", "35"),
        ("g2", "8613900000005", "gateway_sim", T0, "simbox.imei_rotation", "35"),
        ("b1", "8613900001001", "number_batch", T0, "numblock.batch", "8613900001"),
        ("b2", "8613900002002", "number_batch", T0, "numblock.batch", "8613900002"),
        ("n1", "8613900000006", "normal", "", "", ""),
        ("n2", "8613900000007", "normal", "", "", ""),
        ("n3", "8613900000008", "normal", "", "", ""),
        ("n4", "8613900000009", "normal", "", "", ""),
    ]
    anomalies = [
        anomaly("simbox.fanout", at(100), imsi="s1"),
        anomaly("sms.flood", at(200), imsi="p1"),
        anomaly("sms.flood", at(300), imsi="n1"),
        anomaly("simbox.imei_rotation", at(400), "device", imei="35", member_imsis=["g1"]),
        anomaly("numblock.batch", at(500), "number_block", number_block="8613900001", member_msisdns=["8613900001001"]),
    ]
    with tempfile.TemporaryDirectory() as d:
        labels, found = os.path.join(d, "labels.csv"), os.path.join(d, "anomalies.jsonl")
        with open(labels, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["imsi", "msisdn", "imei", "class", "onset", "expected_rules", "group"])
            for imsi, msisdn, cls, onset, rules, group in rows:
                w.writerow([imsi, msisdn, "", cls, onset, rules, group])
        with open(found, "w") as f:
            f.writelines(json.dumps(a) + "\n" for a in anomalies)
        out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "score-detection"), labels, found],
                             capture_output=True, text=True, check=True)
    d = json.loads(out.stdout)["detection"]
    checks = [
        (d["simbox"]["precision"], 1.0), (d["simbox"]["recall"], 0.5), (d["simbox"]["fn"], 1),
        (d["sms_spammer"]["precision"], 0.5), (d["sms_spammer"]["recall"], 1.0), (d["sms_spammer"]["fp"], 1),
        (d["gateway_sim"]["tp"], 2), (d["gateway_sim"]["f1"], 1.0),
        (d["number_batch"]["tp"], 1), (d["number_batch"]["recall"], 0.5),
        (d["false_positive_rate"], 0.25), (d["normal_flagged_by_rule"], {"sms.flood": 1}),
        (d["simbox"]["time_to_detect_s_p50"], 100.0), (d["simbox"]["detected_after_window"], 0),
        (d["anomalies"], 5),
    ]
    def differs(got, want):
        if isinstance(want, float):
            return got is None or abs(got - want) > 1e-9
        return got != want

    failed = [(got, want) for got, want in checks if differs(got, want)]
    for got, want in failed:
        print("got %r, want %r" % (got, want))
    print(json.dumps(d, indent=1) if failed else "ok: %d checks" % len(checks))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
