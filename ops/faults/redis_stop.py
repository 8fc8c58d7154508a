"""Fault: Redis (the Celery broker) stopped while the hotline records calls with the generic SMS.

A private PostgreSQL, a private redis-server without persistence (stopping it loses every task it
held: the harder case), gunicorn, a Celery worker and the local gateway. Mid-load Redis is stopped,
calls go on being recorded, Redis is started again on the same port, and the sweeper runs as beat
would (`sms_sweep`).

The worker runs under a stand-in for the process manager (systemd `Restart=always`, or `scripts/prod`
restarted as a whole): when it exits it is started again, and the drill counts the restarts. Celery
5.7 / kombu's Redis transport can end the worker with "Unrecoverable error: AttributeError ...
'hostname'" when Redis goes away while a task is unacknowledged; nothing is lost then as long as
something restarts the worker (docs/faults.md).

PASS when: calls were saved while Redis was down (the fault bit), no call failed, and in the end
every saved call's SMS reached the gateway exactly once (0 lost, 0 duplicates).

    python -m ops.faults.redis_stop
"""

from __future__ import annotations

import collections
import threading
import time

from ops.faults import harness
from ops.faults.web import Tally, hotline_member


def run(
    *,
    log=print,
    dump_from: str | None = None,
    clients: int = 3,
    down: float = 6.0,
    after: float = 4.0,
) -> harness.Result:
    with (
        harness.workspace("redis-stop") as workdir,
        harness.Gateway(port=harness.pick_port("web")) as gateway,
    ):
        cluster = harness.cluster_with_schema(workdir, dump_from=dump_from, log=log)
        redis = web = keeper = None
        try:
            url = cluster.create_database("drill", template=harness.TEMPLATE_DB)
            redis = harness.PrivateRedis(workdir).start()
            env = harness.app_env(
                database_url=url, broker_url=redis.url, gateway_url=gateway.url, SMS_REENQUEUE_AFTER="5"
            )
            creds = harness.probe("seed-users", env)
            web, port = harness.gunicorn(env, workdir)
            keeper = harness.Keeper(lambda: harness.celery_worker(env, workdir)).start()
            tally, stop = Tally(), threading.Event()
            threads = [
                threading.Thread(
                    target=hotline_member,
                    args=(f"http://127.0.0.1:{port}", creds["username"], creds["password"], who, tally, stop),
                    daemon=True,
                )
                for who in range(clients)
            ]
            for thread in threads:
                thread.start()
            harness.wait_for(lambda: len(gateway.requests) >= clients, timeout=90, what="the first SMS sent")
            log(f"stopping Redis after {tally.ok} saved calls, {len(gateway.requests)} SMS sent")
            redis.stop()
            saved_before = tally.ok
            time.sleep(down)
            saved_while_down = tally.ok - saved_before
            redis.start()
            log(f"Redis back after {down:.0f} s; {saved_while_down} calls saved meanwhile")
            time.sleep(after)
            stop.set()
            for thread in threads:
                thread.join(timeout=90)
            settled = harness.probe("settle", env)
            log(f"sweeper: {settled}")
            messages = harness.probe("sms-report", env)["messages"]
            intakes = harness.probe("intakes-report", env)["intakes"]
        finally:
            if keeper is not None:
                keeper.stop()
            if web is not None:
                web.stop()
            if redis is not None:
                redis.stop()
            cluster.stop()
        received = gateway.client_ids()

    drill = [row for row in intakes if row["marker"].startswith("負載 ")]
    keys = {key for key, _ in messages}
    states = collections.Counter(state for _, state in messages)
    lost = len(keys - set(received)) + sum(1 for row in drill if row["sms"] != 1)
    dupes = harness.duplicates(received)
    numbers = {
        "calls_saved": len(drill),
        "saved_while_down": saved_while_down,
        "failed_calls": tally.clean_errors + len(tally.unclean) + len(tally.gave_up),
        "sms_rows": len(messages),
        "gateway_received": len(set(received)),
        "lost": lost,
        "duplicates": dupes,
        "states": dict(states),
        "worker_restarts": keeper.restarts,
    }
    ok = saved_while_down > 0 and numbers["failed_calls"] == 0 and lost == 0 and dupes == 0
    ok = ok and len(messages) == len(drill) == len(set(received))
    notes = [f"worker exit codes: {keeper.exit_codes}"] if keeper.exit_codes else []
    return harness.Result("redis_stop", ok, numbers, notes)


if __name__ == "__main__":
    harness.main_for(run, "redis_stop")
