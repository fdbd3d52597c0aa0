"""``/metrics`` in Prometheus text format: messages by status, alerts by status and
band (read from the store at each scrape), and request latency by route.

Each app has its own registry, so several apps in one process (the tests) never
collide on metric names.  Labels carry route templates (``/alerts/{alert_id}``),
never the ids in them.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from openpiu.store.alerts import alert_counts
from openpiu.store.queries import message_counts

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _StoreCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self.engine.connect() as conn:
            messages = message_counts(conn)
            alerts = alert_counts(conn)
        by_status = GaugeMetricFamily("piu_messages", "Messages in the vault by status",
                                      labels=["status"])  # fmt: skip
        for status, n in sorted(messages.items()):
            by_status.add_metric([status], n)
        yield by_status
        by_band = GaugeMetricFamily("piu_alerts", "Alerts by status and band",
                                    labels=["status", "band"])  # fmt: skip
        for (status, band), n in sorted(alerts.items()):
            by_band.add_metric([status, band], n)
        yield by_band


class Metrics:
    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "piu_request_seconds", "Request latency by route template",
            ["route", "method", "status"], registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0),
        )  # fmt: skip
        self.registry.register(_StoreCollector(engine))

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.latency.labels(route, method, str(status)).observe(seconds)

    def text(self) -> bytes:
        return generate_latest(self.registry)
