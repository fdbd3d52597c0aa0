"""All configuration in one place, read from ``PIU_*`` environment variables.

Each field carries a one-line comment; ``tests/test_settings.py`` fails when a
field is added without being documented in the README.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PIU_", extra="ignore")

    # Where the store lives: sqlite:///path.db (default, in the working directory)
    # or postgresql+psycopg://user@host/db.
    database_url: str = "sqlite:///piu.db"
    # Largest message accepted, in bytes; larger input is refused before parsing.
    max_message_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    # Minutes to wait for the missing parts of a multi-part PAXLST before the parts
    # present are processed on their own and the gap is reported.
    multipart_timeout_minutes: int = Field(default=120, gt=0)
    # Sensitive-data policy (YAML) of the jurisdiction; empty means the built-in EU
    # defaults (src/openpiu/privacy/policies/eu.yaml).
    privacy_policy: str | None = None
    # Key of the keyed hash that links payment cards across bookings; empty means a
    # key made for this installation on first use and kept in the store.
    link_key: str | None = None
    # Days a quarantined raw message is kept before it is destroyed.
    quarantine_retention_days: int = Field(default=30, gt=0)
    # After a watchlist changes, travellers on flights from this many days back
    # (and every later flight) are screened again against the changed entries.
    rescreen_past_days: int = Field(default=7, ge=0)
    # When true, state-changing CLI commands need PIU_USER/PIU_PASSWORD instead of
    # acting as the local operating-system account.
    cli_require_login: bool = False
    # Account the CLI acts as when set (its password from PIU_PASSWORD or a prompt).
    user: str | None = None
    # Password for PIU_USER; never has a default.
    password: str | None = None
    # Address the analyst application (piu serve) listens on.
    web_host: str = "127.0.0.1"
    # Port it listens on.
    web_port: int = Field(default=8000, gt=0, lt=65536)
    # Session cookies only over HTTPS (browsers also accept them on 127.0.0.1 and
    # localhost); turn off only behind a proxy that terminates TLS elsewhere.
    cookie_secure: bool = True
    # Minutes without a request after which a web session ends.
    session_idle_minutes: int = Field(default=30, gt=0)
    # Failed sign-ins in a row that lock an account.
    login_max_failures: int = Field(default=5, gt=0)
    # Minutes an account stays locked after them.
    login_lockout_minutes: int = Field(default=15, gt=0)
    # Authorities a referral can go to (comma-separated codes shown to analysts).
    referral_authorities: str = "border_guard,police,customs,security_service"
    # Where work goes between intake and processing: empty for the in-process queue
    # of one machine, or amqp://user:password@host:5672/ for RabbitMQ and piu worker.
    queue_url: str = ""
    # Messages received but not yet processed beyond which HTTP intake answers 503
    # with Retry-After (backpressure) instead of taking more.
    intake_max_backlog: int = Field(default=5000, gt=0)
    # Seconds a carrier is asked to wait before retrying after a 503.
    intake_retry_after_seconds: int = Field(default=5, gt=0)
    # Interactive API: milliseconds within which the answer must go back; past it
    # the default directive is sent and screening finishes afterwards.
    iapi_deadline_ms: int = Field(default=2000, gt=0)
    # Interactive API directive codes and texts (CUSRES ERC and FTX), per country.
    iapi_board: str = "0Z:OK TO BOARD"
    # Any hit, by default (no adverse decision rests on automation alone).
    iapi_contact: str = "1Z:NO BOARD - CONTACT PIU"
    # Only where the jurisdiction allows an automatic no-board (see next setting).
    iapi_no_board: str = "1Z:NO BOARD"
    # Answer when screening cannot finish within the deadline: board or contact.
    iapi_timeout_directive: str = "board"
    # Whether a document match on an entry whose requested action is no_board may
    # answer no-board automatically (EU PNR Directive art. 7(6): off by default).
    iapi_auto_no_board: bool = False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
