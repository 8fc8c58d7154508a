"""Fault: two Celery beat processes started by mistake.

A private PostgreSQL and Redis, the local gateway, one worker with 4 pool processes (so the two
beats' copies of a job really run at the same time), and two `celery beat` processes with the
project's schedule (CELERY_BEAT_SCHEDULE) time-compressed: every entry every `every` seconds
(ops/faults/settings.py). Seeded: complaint deadlines in 5 days of victims who agreed to SMS (an SMS
reminder and a staff reminder each) and intakes left unassigned for 4 hours (an alert each).

PASS when both beats fired every job `runs` times, and: one SMS reminder per deadline, each
received by the gateway once; one staff reminder per deadline; one alert per intake; no
notification twice.

    python -m ops.faults.double_beat
"""

from __future__ import annotations

from ops.faults import harness

JOBS = ("sms-victim-reminders", "deadline-reminders", "intake-alerts", "sms-sweep")


def run(
    *,
    log=print,
    dump_from: str | None = None,
    cases: int = 10,
    intakes: int = 5,
    runs: int = 6,
    every: float = 2.0,
) -> harness.Result:
    with (
        harness.workspace("double-beat") as workdir,
        harness.Gateway(port=harness.pick_port("web")) as gateway,
    ):
        cluster = harness.cluster_with_schema(workdir, dump_from=dump_from, log=log)
        redis = worker = None
        beats = []
        try:
            url = cluster.create_database("drill", template=harness.TEMPLATE_DB)
            redis = harness.PrivateRedis(workdir).start()
            env = harness.app_env(database_url=url, broker_url=redis.url, gateway_url=gateway.url)
            harness.probe("seed-beat", env, str(cases), str(intakes))
            worker = harness.celery_worker(env, workdir, concurrency=4)
            beat_env = {**env, "FAULTS_BEAT_EVERY": str(every), "LOG_LEVEL": "INFO"}
            beats = [harness.celery_beat(beat_env, workdir, f"beat{n}") for n in (1, 2)]

            def fired_by_each():
                logs = [beat.output() for beat in beats]
                return [{job: log.count(f"Sending due task {job} ") for job in JOBS} for log in logs]

            # Both beats running, each having sent every job `runs` times: then they collided enough.
            harness.wait_for(
                lambda: min(min(counts.values()) for counts in fired_by_each()) >= runs,
                timeout=runs * every + 120,
                what="both beats to send every job",
            )
            for beat in beats:
                beat.stop()
            fired = fired_by_each()
            log(f"jobs sent by each beat: {fired}")
            settled = harness.probe("settle", env)
            log(f"sweeper: {settled}")
            report = harness.probe("beat-report", env)
        finally:
            for proc in (*beats, worker):
                if proc is not None:
                    proc.stop()
            if redis is not None:
                redis.stop()
            cluster.stop()
        received = gateway.client_ids()

    min_fired = min(min(counts.values()) for counts in fired)
    sms_dupes = report["sms_dupes"] + harness.duplicates(received)
    reminder_dupes = (
        report["deadline_reminder_dupes"] + report["intake_alert_dupes"] + report["notification_dupes"]
    )
    numbers = {
        "runs_per_job_per_beat": min_fired,
        "sms": report["sms"],
        "gateway_received": len(set(received)),
        "duplicate_sms": sms_dupes,
        "staff_reminders": report["deadline_reminders"],
        "intake_alerts": report["intake_alerts"],
        "duplicate_reminders": reminder_dupes,
    }
    ok = (
        min_fired >= runs
        and report["sms"] == cases == len(set(received))
        and set(report["sms_keys"]) == set(received)
        and report["deadline_reminders"] == cases
        and report["intake_alerts"] == intakes
        and sms_dupes == 0
        and reminder_dupes == 0
    )
    return harness.Result("double_beat", ok, numbers)


if __name__ == "__main__":
    harness.main_for(run, "double_beat")
