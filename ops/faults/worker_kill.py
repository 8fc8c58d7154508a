"""Fault: the Celery worker killed (SIGKILL to the whole worker, pool processes included) mid-send.

A private PostgreSQL and Redis, the local gateway answering each request after `gateway_delay`
seconds (a real one takes tens of milliseconds), and a backlog of generic SMS queued through the
real intake service. When part of the backlog has reached the gateway, the worker and its pool
processes get SIGKILL (an OOM kill, a lost host). A fresh worker starts; the sweeper runs as beat
would; SMS_SENDING_TIMEOUT later, rows still 'sending' are marked uncertain for a person.

Counted at the gateway and in the outbox:
- duplicates: requests beyond the first for one clientid (must be 0);
- lost: a message neither received by the gateway nor handed to a person (`uncertain`), or a row
  marked sent that the gateway never saw (must be 0);
- uncertain (reached / not reached): rows a person settles; the first kind a delivery report settles
  by itself. The second kind is the price of "never twice": a batch claimed by the killed process.

    python -m ops.faults.worker_kill
"""

from __future__ import annotations

import collections
import time

from ops.faults import harness


def run(
    *,
    log=print,
    dump_from: str | None = None,
    messages: int = 150,
    kill_after: int = 40,
    gateway_delay: float = 0.05,
) -> harness.Result:
    with (
        harness.workspace("worker-kill") as workdir,
        harness.Gateway(port=harness.pick_port("web"), delay=gateway_delay) as gateway,
    ):
        cluster = harness.cluster_with_schema(workdir, dump_from=dump_from, log=log)
        redis = worker = None
        try:
            url = cluster.create_database("drill", template=harness.TEMPLATE_DB)
            redis = harness.PrivateRedis(workdir).start()
            env = harness.app_env(
                database_url=url, broker_url=redis.url, gateway_url=gateway.url, SMS_REENQUEUE_AFTER="3"
            )
            queued = harness.probe("queue-intakes", env, str(messages))["queued"]
            worker = harness.celery_worker(env, workdir)
            harness.wait_for(
                lambda: len(gateway.requests) >= kill_after, timeout=120, what="part of the backlog sent"
            )
            worker.kill()
            at_kill = len(gateway.requests)
            log(f"worker killed (SIGKILL) after {at_kill} of {queued} SMS reached the gateway")
            time.sleep(0.5)
            worker = harness.celery_worker(env, workdir)
            settled = harness.probe("settle", env)
            log(f"sweeper: {settled}")
            rows = harness.probe("sms-report", env)["messages"]
        finally:
            for proc in (worker,):
                if proc is not None:
                    proc.stop()
            if redis is not None:
                redis.stop()
            cluster.stop()
        received = gateway.client_ids()

    reached = set(received)
    states = collections.Counter(state for _, state in rows)
    lost = sum(
        1
        for key, state in rows
        if (key not in reached and state != "uncertain") or (state == "sent" and key not in reached)
    )
    numbers = {
        "messages": len(rows),
        "killed_at": at_kill,
        "sent": states.get("sent", 0),
        "uncertain_reached": sum(1 for key, state in rows if state == "uncertain" and key in reached),
        "uncertain_not_reached": sum(1 for key, state in rows if state == "uncertain" and key not in reached),
        "lost": lost,
        "duplicates": harness.duplicates(received),
    }
    ok = (
        len(rows) == queued == messages
        and at_kill < messages  # the kill came mid-send
        and lost == 0
        and numbers["duplicates"] == 0
    )
    return harness.Result("worker_kill", ok, numbers)


if __name__ == "__main__":
    harness.main_for(run, "worker_kill")
