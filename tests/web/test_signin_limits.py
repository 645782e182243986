"""Sign-in rate limits, bad-token limits and the session cookie's flags (SQLite and PostgreSQL).

The limits' clock is injected (a list we move by hand), so nothing sleeps. Rules under test
(b2bgrowth/auth/throttle.py): 5 failures per login name and 20 per client address within a
15 minutes (sliding); then 429 + Retry-After until the oldest of those failures is 15 minutes old.
"""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from web_helpers import csrf_from, sign_in

from b2bgrowth.auth import service
from b2bgrowth.auth.throttle import Attempt, Refusal, SignInLimits
from b2bgrowth.web.app import create_app
from b2bgrowth.web.security import SESSION_COOKIE

WINDOW = 15 * 60


class FakeClock:
    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(app):
    fake = FakeClock()
    app.state.signin_limits = SignInLimits(clock=fake)
    return fake


def client_from(app, address: str, lang: str = "en") -> TestClient:
    client = TestClient(app, client=(address, 50000))
    client.cookies.set("lang", lang)
    return client


def attempt(client: TestClient, login: str, password: str):
    return client.post("/login", data={"login": login, "password": password, "csrf_token": csrf_from(client)},
                       follow_redirects=False)


def fail_directly(limits: SignInLimits, login: str, address: str, times: int) -> None:
    """Failures counted straight into the limits (each web failure costs an argon2 hash: ~0.1-0.4 s)."""
    for _ in range(times):
        assert isinstance(limits.begin(login, address), Attempt)


# -- through the web app (SQLite and PostgreSQL) ---------------------------------------------------

def test_five_failures_lock_the_name_and_the_sixth_is_429_even_with_the_right_password(app, clock, caplog):
    c = client_from(app, "10.0.0.1")
    for n in range(1, 6):  # failures 1..5 are answered normally (401), one minute apart: t = 0, 60, …, 240 s
        assert attempt(c, "admin", f"wrong-{n}").status_code == 401, n
        clock.advance(60)
    # t = 300 s; the oldest failure (t = 0) leaves the window at 900 s: 900 - 300 = 600 s = 10 minutes
    with caplog.at_level(logging.WARNING, logger="b2bgrowth.auth"):
        refused = attempt(c, "admin", "admin-pass-123")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "600"
    assert "Too many failed sign-ins. Try again in 10 minutes." in refused.text
    assert "alert-error" in refused.text
    assert c.get("/accounts", follow_redirects=False).status_code == 303  # not signed in
    logged = [r.getMessage() for r in caplog.records if r.name == "b2bgrowth.auth"]
    assert len(logged) == 1 and "login='admin'" in logged[0] and "address=10.0.0.1" in logged[0]
    assert "admin-pass-123" not in logged[0]
    assert "wrong-" not in caplog.text


def test_the_wait_ends_15_minutes_after_the_oldest_failure(app, clock):
    limits = app.state.signin_limits
    fail_directly(limits, "ops", "10.0.0.2", 5)  # 5 failures at t = 0
    c = client_from(app, "10.0.0.2")
    clock.advance(WINDOW - 1)  # t = 899 s: refused, 1 s left
    refused = attempt(c, "ops", "ops-pass-1234")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert "Try again in 1 minute." in refused.text  # singular
    clock.advance(1)  # t = 900 s: the failures at t = 0 are 15 minutes old; the refusal did not push it on
    assert attempt(c, "ops", "ops-pass-1234").status_code == 303


def test_a_successful_sign_in_resets_the_name(app, clock):
    limits = app.state.signin_limits
    c = client_from(app, "10.0.0.3")
    for _ in range(4):  # 4 failures: one short of the limit
        assert attempt(c, "admin", "bad-password").status_code == 401
    assert limits.names.failures("admin") == 4
    assert attempt(c, "admin", "admin-pass-123").status_code == 303
    assert limits.names.failures("admin") == 0
    assert limits.addresses.failures("10.0.0.3") == 4  # the address keeps its 4 (the success is given back)


def test_twenty_failures_from_one_address_lock_the_address(app, clock):
    limits = app.state.signin_limits
    # 19 failures over 5 made-up names (at most 4 each, so no name is locked) …
    for n in range(19):
        fail_directly(limits, f"guess{n % 5}", "192.0.2.7", 1)
    c = client_from(app, "192.0.2.7")
    assert attempt(c, "guess4", "bad-password").status_code == 401  # … and the 20th through the page
    clock.advance(120)
    refused = attempt(c, "viewer", "viewer-pass-1")  # a fresh name, the right password: still refused
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(WINDOW - 120)  # 900 - 120 = 780 s
    assert "Try again in 13 minutes." in refused.text  # ceil(780 / 60) = 13
    assert attempt(client_from(app, "192.0.2.8"), "viewer", "viewer-pass-1").status_code == 303  # other address


def test_the_refusal_is_in_chinese_for_chinese_users(app, clock):
    fail_directly(app.state.signin_limits, "viewer", "10.0.0.4", 5)
    refused = attempt(client_from(app, "10.0.0.4", lang="zh_CN"), "viewer", "viewer-pass-1")
    assert refused.status_code == 429
    assert "登录失败次数过多，请 15 分钟后再试。" in refused.text  # 900 s → 15 minutes


# -- API tokens ---------------------------------------------------------------------------------

def test_twenty_bad_tokens_from_an_address_lock_bearer_requests_from_it(app, clock, seeded):
    good = {"Authorization": f"Bearer {service.create_token(seeded, 'ops')}"}
    bad = {"Authorization": "Bearer 0123456789abcdef.not-the-secret"}
    c = client_from(app, "198.51.100.1")
    for n in range(20):
        assert c.get("/api/v1/reports", headers=bad).status_code == 401, n
    clock.advance(300)
    refused = c.get("/api/v1/reports", headers=good)  # refused before any token is looked up
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "600"  # 900 - 300
    assert "invalid API token" in refused.json()["detail"]
    assert client_from(app, "198.51.100.2").get("/api/v1/reports", headers=good).status_code == 200
    clock.advance(600)
    assert c.get("/api/v1/reports", headers=good).status_code == 200


def test_good_tokens_are_never_counted(app, clock, seeded):
    good = {"Authorization": f"Bearer {service.create_token(seeded, 'ops')}"}
    c = client_from(app, "198.51.100.3")
    for _ in range(25):
        assert c.get("/api/v1/reports", headers=good).status_code == 200
    assert app.state.signin_limits.token_addresses.failures("198.51.100.3") == 0


# -- the session cookie ---------------------------------------------------------------------------

def _session_cookie_header(client: TestClient) -> str:
    response = sign_in(client, "admin")
    assert response.status_code == 303
    headers = [h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "=")]
    assert len(headers) == 1
    return headers[0].lower()


def test_session_cookie_is_httponly_lax_and_not_secure_by_default(seeded):
    assert seeded.settings.cookie_secure is False
    with TestClient(create_app(seeded)) as c:
        header = _session_cookie_header(c)
    assert "httponly" in header and "samesite=lax" in header
    assert "max-age=43200" in header  # 12 h × 3600 s
    assert "secure" not in header.replace("samesite", "")


def test_session_cookie_is_secure_when_the_setting_is_on(seeded):
    seeded.settings.cookie_secure = True
    # the Secure cookie is only sent back over https, so the client talks https to the app
    with TestClient(create_app(seeded), base_url="https://testserver") as c:
        header = _session_cookie_header(c)
        assert c.get("/accounts").status_code == 200  # the browser-like client sends it back over https
    assert "; secure" in header and "httponly" in header and "samesite=lax" in header


def test_a_session_lasts_12_hours_from_signing_in_and_activity_does_not_extend_it(signed_in, monkeypatch):
    from itsdangerous import TimestampSigner

    c = signed_in("admin")
    signed_at = TimestampSigner.get_timestamp(None)
    later = {"t": signed_at}
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later["t"])
    later["t"] = signed_at + 6 * 3600  # 6 h on: still signed in; these requests do not re-sign the cookie
    assert c.get("/accounts", follow_redirects=False).status_code == 200
    later["t"] = signed_at + 12 * 3600 - 5  # just under 12 h (5 s margin for the sign-in itself)
    assert c.get("/accounts", follow_redirects=False).status_code == 200
    later["t"] = signed_at + 12 * 3600 + 5  # 12 h = 43,200 s after signing in: the signature has expired
    assert c.get("/accounts", follow_redirects=False).status_code == 303


def test_cookie_secure_comes_from_the_environment(monkeypatch, tmp_path):
    from b2bgrowth.settings import Settings

    monkeypatch.setenv("B2BGROWTH_COOKIE_SECURE", "true")
    assert Settings(data_dir=tmp_path).cookie_secure is True
    monkeypatch.setenv("B2BGROWTH_COOKIE_SECURE", "0")
    assert Settings(data_dir=tmp_path).cookie_secure is False
    monkeypatch.delenv("B2BGROWTH_COOKIE_SECURE")
    assert Settings(data_dir=tmp_path).cookie_secure is False


# -- the counters on their own (no web app) --------------------------------------------------------

def test_the_sixth_attempt_for_a_name_is_refused_until_the_oldest_failure_is_15_minutes_old():
    clock = FakeClock(0.0)
    limits = SignInLimits(clock=clock)
    for _ in range(5):  # failures at t = 0, 60, 120, 180, 240 s
        assert isinstance(limits.begin("csm", "a"), Attempt)
        clock.advance(60)
    refusal = limits.begin("csm", "a")  # t = 300
    assert refusal == Refusal(retry_after=600, reason="login") and refusal.minutes == 10  # 0 + 900 - 300
    clock.advance(600)  # t = 900: the failure at t = 0 has left the window, 4 remain
    extra = limits.begin("csm", "a")
    assert isinstance(extra, Attempt)  # one more try (a failure: it is not given back)
    assert limits.begin("csm", "a") == Refusal(retry_after=60, reason="login")  # oldest left t = 60: 960 - 900


def test_names_are_counted_whatever_the_address_and_the_case():
    limits = SignInLimits(clock=FakeClock())
    for n, login in enumerate(["csm", "CSM", " csm", "Csm", "csm "]):  # 5 guesses from 5 addresses
        assert isinstance(limits.begin(login, f"10.1.0.{n}"), Attempt)
    assert isinstance(limits.begin("csm", "10.1.0.99"), Refusal)
    assert isinstance(limits.begin("ops", "10.1.0.99"), Attempt)  # other names unaffected


def test_twenty_failures_lock_an_address_and_successes_do_not_clear_it():
    clock = FakeClock(0.0)
    limits = SignInLimits(clock=clock)
    for n in range(19):  # 19 failures over guess0..guess4: 4, 4, 4, 4, 3 — no name reaches 5
        assert isinstance(limits.begin(f"guess{n % 5}", "x"), Attempt), n
    ok = limits.begin("ops", "x")  # attempt 20 starts (counted) …
    limits.succeeded(ok)  # … and succeeds: given back, the address has 19 again
    assert limits.addresses.failures("x") == 19
    assert isinstance(limits.begin("viewer", "x"), Attempt)  # failure 20
    clock.advance(30)
    assert limits.begin("admin", "x") == Refusal(retry_after=870, reason="address")  # 0 + 900 - 30
    assert isinstance(limits.begin("admin", "y"), Attempt)


def test_a_success_clears_the_name():
    limits = SignInLimits(clock=FakeClock())
    fail_directly(limits, "admin", "a", 4)
    limits.succeeded(limits.begin("admin", "a"))
    fail_directly(limits, "admin", "a", 5)  # 5 more failures are allowed before the lock
    assert isinstance(limits.begin("admin", "a"), Refusal)


def test_parallel_attempts_are_counted_when_they_start():
    # 5 attempts begin before any finishes (slow password hashes in flight): the 6th is refused
    limits = SignInLimits(clock=FakeClock())
    started = [limits.begin("admin", "a") for _ in range(5)]
    assert all(isinstance(a, Attempt) for a in started)
    assert isinstance(limits.begin("admin", "a"), Refusal)


def test_expired_windows_are_pruned(monkeypatch):
    from b2bgrowth.auth import throttle

    monkeypatch.setattr(throttle, "PRUNE_AT", 10)
    clock = FakeClock()
    limits = SignInLimits(clock=clock)
    for n in range(10):
        limits.begin(f"name{n}", f"addr{n}")
    clock.advance(WINDOW)
    limits.begin("late", "late-addr")  # the 11th key: the 10 ended windows are dropped first
    assert len(limits.names) == 1 and len(limits.addresses) == 1


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.booleans(),
                                st.floats(min_value=0, max_value=400)), max_size=60))
def test_never_more_than_five_failures_per_name_in_any_window(steps):
    """Invariant: a name never gets more than 5 failed tries within any 15 minutes (counted since its last success)."""
    clock = FakeClock(0.0)
    limits = SignInLimits(clock=clock, address_limit=10_000)
    failures: dict[str, list[float]] = {}
    for name, right, wait in steps:
        clock.advance(wait)
        result = limits.begin(name, "addr")
        if isinstance(result, Refusal):
            assert 1 <= result.retry_after <= WINDOW
            continue
        if right:
            limits.succeeded(result)
            failures[name] = []  # a success starts the name afresh
        else:
            failures.setdefault(name, []).append(clock.now)
            recent = [t for t in failures[name] if t > clock.now - WINDOW]
            assert len(recent) <= 5, (name, recent)
