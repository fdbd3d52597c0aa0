"""Referrals and the requests register, as services: four eyes, disclosure on
record, the alert referred, the outcome back, the register's rules."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Connection, Engine, insert, select

from openpiu import data_requests, referrals
from openpiu.accounts import Actor
from openpiu.errors import ConflictError, ForbiddenError, NotFoundError, PiuError
from openpiu.store.alerts import get_alert
from openpiu.store.schema import alert_events, alerts, audit_events, flights, persons

AT = datetime(2025, 3, 15, 6, 0, tzinfo=UTC)
AUTHORITIES = ("border_guard", "police")
ANNA = Actor("anna", ("analyst",), "user")
BORIS = Actor("boris", ("analyst",), "user")
SUSAN = Actor("susan", ("supervisor",), "user")
SERGEI = Actor("sergei", ("supervisor", "analyst"), "user")


def make_alert(conn: Connection, status: str = "open", n: int = 1) -> int:
    flight_id = conn.execute(insert(flights).values(
        carrier="TK", number=str(200 + n), flight_date=date(2025, 3, 15),
        designator=f"TK{200 + n}", origin="IST", destination="DYU",
        updated_at=AT)).inserted_primary_key[0]  # fmt: skip
    person_id = conn.execute(insert(persons).values(
        key=f"name:test{n}", key_kind="name", created_at=AT)).inserted_primary_key[0]
    return int(conn.execute(insert(alerts).values(
        flight_id=flight_id, person_id=person_id, source="watchlist", list_name="national",
        entry_id="E1", entry_ref="NAT-001", list_version=1, score=0.93, band="alert",
        status=status, created_at=AT, updated_at=AT)).inserted_primary_key[0])  # fmt: skip


def propose(conn: Connection, alert_id: int, actor: Actor = ANNA, **kw: object) -> int:
    args = {"authority": "border_guard", "data_items": ["identity", "flight"],
            "reason": "listed person on board", **kw}
    return referrals.propose(conn, actor, alert_id, args["authority"], args["data_items"],  # type: ignore[arg-type]
                             args["reason"], AT, authorities=AUTHORITIES)  # type: ignore[arg-type]


def audit_rows(conn: Connection, action: str) -> list[tuple[str, str, dict[str, object]]]:
    return [(actor, ids, json.loads(details or "null")) for actor, ids, details in conn.execute(
        select(audit_events.c.actor, audit_events.c.target_ids, audit_events.c.details)
        .where(audit_events.c.action == action))]  # fmt: skip


def test_four_eyes_disclosure_and_outcome(engine: Engine) -> None:
    with engine.begin() as conn:
        alert_id = make_alert(conn)
        rid = propose(conn, alert_id)
        assert referrals.get(conn, rid)["status"] == "pending"
        assert get_alert(conn, alert_id)["status"] == "open"  # nothing left yet
        # The proposer cannot approve, even as a supervisor; an analyst cannot either.
        own = propose(conn, alert_id, SERGEI, authority="police")
        with pytest.raises(ForbiddenError, match="second person"):
            referrals.approve(conn, SERGEI, own, None, AT)
        with pytest.raises(ForbiddenError, match="supervisor"):
            referrals.approve(conn, BORIS, rid, None, AT)
        with pytest.raises(ForbiddenError):
            referrals.reject(conn, BORIS, rid, "no", AT)
        referrals.approve(conn, SUSAN, rid, "go", AT + timedelta(minutes=5))
        row = referrals.get(conn, rid)
        assert (row["status"], row["decided_by"], row["decision_note"]) == ("approved", "susan",
                                                                            "go")
        assert row["sent_at"] == AT + timedelta(minutes=5)
        assert row["data_items"] == ["identity", "flight"]
        assert get_alert(conn, alert_id)["status"] == "referred"
        events = conn.execute(select(alert_events.c.kind, alert_events.c.actor)
                              .where(alert_events.c.alert_id == alert_id)).all()
        assert ("referred", "susan") in [tuple(e) for e in events]
        [(actor, ids, details)] = audit_rows(conn, "referral.disclosed")
        assert (actor, ids) == ("susan", f"[{rid}]")
        assert details == {"alert": alert_id, "authority": "border_guard",
                           "data": ["identity", "flight"]}
        # Decided once only; the outcome comes back once, on a sent referral.
        with pytest.raises(ConflictError):
            referrals.reject(conn, SUSAN, rid, "late", AT)
        with pytest.raises(ConflictError, match="was sent"):
            referrals.record_outcome(conn, BORIS, own, "arrested", None, AT)
        with pytest.raises(PiuError, match="unknown outcome"):
            referrals.record_outcome(conn, BORIS, rid, "vanished", None, AT)
        referrals.record_outcome(conn, BORIS, rid, "false_match", "other man", AT)
        assert referrals.get(conn, rid)["outcome"] == "false_match"
        with pytest.raises(ConflictError, match="already"):
            referrals.record_outcome(conn, BORIS, rid, "arrested", None, AT)
        assert referrals.outcomes_by_alert(conn, [alert_id, alert_id + 99]) == {
            alert_id: "false_match"}
        # Criteria precision reads the false match as a false hit, other alerts as they are.
        other = make_alert(conn, "confirmed", n=2)
        judged = dict(conn.execute(select(alerts.c.id, referrals.judged_status().label("s"))
                                   .where(alerts.c.id.in_([alert_id, other]))).all())
        assert judged == {alert_id: "dismissed", other: "confirmed"}
        assert audit_rows(conn, "referral.outcome")[0][2] == {"alert": alert_id,
                                                              "outcome": "false_match"}


def test_reject_withdraw_and_validation(engine: Engine) -> None:
    with engine.begin() as conn:
        alert_id = make_alert(conn)
        for bad, message in ((dict(authority="interpol"), "unknown authority"),
                             (dict(data_items=[]), "at least one"),
                             (dict(data_items=["identity", "bank_account"]), "unknown data item"),
                             (dict(reason="  "), "reason is required")):  # fmt: skip
            with pytest.raises(PiuError, match=message) as caught:
                propose(conn, alert_id, **bad)
            assert caught.value.status == 422
        with pytest.raises(NotFoundError):
            propose(conn, alert_id + 99)
        rid = propose(conn, alert_id)
        with pytest.raises(ConflictError, match="awaits approval"):
            propose(conn, alert_id)
        with pytest.raises(PiuError, match="note"):
            referrals.reject(conn, SUSAN, rid, "", AT)
        referrals.reject(conn, SUSAN, rid, "not enough", AT)
        assert referrals.get(conn, rid)["status"] == "rejected"
        assert get_alert(conn, alert_id)["status"] == "open"
        again = propose(conn, alert_id)
        with pytest.raises(ForbiddenError, match="proposed"):
            referrals.withdraw(conn, BORIS, again, None, AT)
        referrals.withdraw(conn, ANNA, again, None, AT)
        assert [r["status"] for r in referrals.list_referrals(conn, alert_id=alert_id)] == [
            "withdrawn", "rejected"]
        assert audit_rows(conn, "referral.disclosed") == []
        # Only open or confirmed alerts are referred.
        dismissed = make_alert(conn, "dismissed", n=2)
        with pytest.raises(ConflictError, match="open or confirmed"):
            propose(conn, dismissed)
        confirmed = make_alert(conn, "confirmed", n=3)
        pending = propose(conn, confirmed)
        assert [r["id"] for r in referrals.list_referrals(conn)][0] == pending  # pending first
        with pytest.raises(PiuError):
            referrals.list_referrals(conn, status="lost")


def test_requests_register(engine: Engine) -> None:
    fields = dict(authority="police", requester="Insp. K. Nazarov", legal_basis="CPC art. 12",
                  case_ref="2025/117", reason="investigation of smuggling",
                  searched="bookings paid in cash IST-DYU, March 2025")
    with engine.begin() as conn:
        rid = data_requests.record(conn, SUSAN, **fields, disclosed="3 bookings",  # type: ignore[arg-type]
                                   decision="partial", at=AT,
                                   received_at=AT - timedelta(hours=2))  # fmt: skip
        refused = data_requests.record(conn, SUSAN, **fields, disclosed=None,  # type: ignore[arg-type]
                                       decision="refused", at=AT)  # fmt: skip
        row = data_requests.get(conn, rid)
        assert row["requester"] == "Insp. K. Nazarov" and row["disclosed"] == "3 bookings"
        assert row["received_at"] == AT - timedelta(hours=2) and row["recorded_by"] == "susan"
        assert data_requests.get(conn, refused)["disclosed"] is None
        assert [r["id"] for r in data_requests.list_requests(conn)] == [refused, rid]
        assert [r["id"] for r in data_requests.list_requests(conn, decision="partial")] == [rid]
        for name in fields:
            with pytest.raises(PiuError, match="required") as caught:
                data_requests.record(conn, SUSAN, **{**fields, name: " "}, disclosed="x",  # type: ignore[arg-type]
                                     decision="disclosed", at=AT)  # fmt: skip
            assert caught.value.status == 422
        with pytest.raises(PiuError, match="disclosed is required"):
            data_requests.record(conn, SUSAN, **fields, disclosed="", decision="disclosed",  # type: ignore[arg-type]
                                 at=AT)  # fmt: skip
        with pytest.raises(PiuError, match="refused request discloses nothing"):
            data_requests.record(conn, SUSAN, **fields, disclosed="all", decision="refused",  # type: ignore[arg-type]
                                 at=AT)  # fmt: skip
        with pytest.raises(PiuError, match="unknown decision"):
            data_requests.record(conn, SUSAN, **fields, disclosed="x", decision="maybe", at=AT)  # type: ignore[arg-type]
        with pytest.raises(NotFoundError):
            data_requests.get(conn, refused + 10)
        recorded = audit_rows(conn, "request.recorded")
        assert [d for _a, _i, d in recorded] == [{"authority": "police", "decision": "partial"},
                                                 {"authority": "police", "decision": "refused"}]
        assert all("Nazarov" not in json.dumps(d) for _a, _i, d in recorded)
