"""Sign-in, sessions, CSRF, roles and API tokens (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from web_helpers import csrf_from, sign_in

from b2bgrowth.auth import service
from b2bgrowth.web.deps import CurrentUser, require_roles


def test_login_page_renders_with_a_csrf_field(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.text


def test_pages_redirect_to_login_when_signed_out(client):
    response = client.get("/accounts?tier=KA", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Faccounts%3Ftier%3DKA"


def test_api_answers_401_when_signed_out(client):
    response = client.get("/api/v1/reports")
    assert response.status_code == 401
    assert response.json()["detail"] == "authentication required"


def test_login_with_right_password_goes_home(client):
    response = sign_in(client, "admin")
    assert response.status_code == 303
    assert response.headers["location"] in ("/dashboard", "/accounts")
    assert client.get("/accounts").status_code == 200


def test_login_honours_a_safe_next_and_ignores_an_open_redirect(client):
    token = csrf_from(client)
    ok = client.post("/login", data={"login": "ops", "password": "ops-pass-1234", "csrf_token": token,
                                     "next": "/accounts/A1"}, follow_redirects=False)
    assert ok.headers["location"] == "/accounts/A1"
    client.post("/logout", data={"csrf_token": csrf_from(client, "/accounts")})
    token = csrf_from(client)
    evil = client.post("/login", data={"login": "ops", "password": "ops-pass-1234", "csrf_token": token,
                                       "next": "//evil.example.com/"}, follow_redirects=False)
    assert evil.headers["location"] in ("/dashboard", "/accounts")


def test_login_with_bad_credentials_is_refused(client):
    for login, password in [("admin", "wrong-password"), ("nobody", "admin-pass-123"), ("admin", "")]:
        token = csrf_from(client)
        response = client.post("/login", data={"login": login, "password": password, "csrf_token": token},
                               follow_redirects=False)
        assert response.status_code == 401, (login, password)
        assert "alert-error" in response.text
    assert client.get("/accounts", follow_redirects=False).status_code == 303


def test_post_without_csrf_token_is_forbidden(client):
    client.get("/login")
    response = client.post("/login", data={"login": "admin", "password": "admin-pass-123"})
    assert response.status_code == 403
    assert "CSRF" in response.text


def test_post_with_a_wrong_csrf_token_is_forbidden(signed_in):
    c = signed_in("admin")
    assert c.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert c.post("/logout", headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert c.get("/accounts").status_code == 200  # still signed in


def test_logout_with_the_csrf_header_ends_the_session(signed_in):
    c = signed_in("admin")
    token = csrf_from(c, "/accounts")
    response = c.post("/logout", headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert c.get("/accounts", follow_redirects=False).status_code == 303


def test_a_deactivated_user_loses_the_session(seeded, signed_in):
    from b2bgrowth.auth.models import User

    c = signed_in("csm")
    with seeded.store.write(touched=["users"]) as s:
        s.get(User, "csm").active = False
    assert c.get("/accounts", follow_redirects=False).status_code == 303


@pytest.fixture
def probe_app(app):
    """The app plus two probe routes: a write open to every role, and an admin-only read."""

    def write(user: CurrentUser):
        return {"ok": True, "login": user.login}

    def admin_only(user=Depends(require_roles("admin"))):
        return {"ok": True}

    app.add_api_route("/api/v1/_probe/write", write, methods=["POST"])
    app.add_api_route("/api/v1/_probe/admin", admin_only, methods=["GET"])
    return app


def test_viewers_cannot_change_anything(probe_app, seeded):
    viewer = TestClient(probe_app)
    sign_in(viewer, "viewer")
    token = csrf_from(viewer, "/accounts")
    denied = viewer.post("/api/v1/_probe/write", headers={"X-CSRF-Token": token})
    assert denied.status_code == 403
    assert denied.json()["detail"] == "role 'viewer' is read-only"
    ops = TestClient(probe_app)
    sign_in(ops, "ops")
    ok = ops.post("/api/v1/_probe/write", headers={"X-CSRF-Token": csrf_from(ops, "/accounts")})
    assert ok.status_code == 200 and ok.json() == {"ok": True, "login": "ops"}


def test_require_roles_rejects_other_roles_with_the_reason(probe_app):
    ops = TestClient(probe_app)
    sign_in(ops, "ops")
    response = ops.get("/api/v1/_probe/admin")
    assert response.status_code == 403
    assert response.json()["detail"] == "role 'ops' may not do this; allowed: admin"
    admin = TestClient(probe_app)
    sign_in(admin, "admin")
    assert admin.get("/api/v1/_probe/admin").status_code == 200


def test_api_token_authenticates_without_csrf(probe_app, seeded):
    token = service.create_token(seeded, "ops", name="etl")
    token_id, _, secret = token.partition(".")
    assert len(token_id) == 16 and len(secret) >= 40
    c = TestClient(probe_app)
    headers = {"Authorization": f"Bearer {token}"}
    assert c.get("/api/v1/reports", headers=headers).status_code == 200
    assert c.post("/api/v1/_probe/write", headers=headers).json() == {"ok": True, "login": "ops"}
    stored = service.list_tokens(seeded, "ops")[0]
    assert secret not in stored.secret_hash  # only a hash is kept


def test_viewer_token_cannot_write(probe_app, seeded):
    token = service.create_token(seeded, "viewer")
    c = TestClient(probe_app)
    assert c.post("/api/v1/_probe/write", headers={"Authorization": f"Bearer {token}"}).status_code == 403


def test_garbage_tokens_are_401(client):
    for bad in ["garbage", "abc.def", "", "0123456789abcdef.", ".secret", "x" * 40 + ".y"]:
        response = client.get("/api/v1/reports", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401, bad


def test_revoked_token_is_401(client, seeded):
    token = service.create_token(seeded, "admin")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/reports", headers=headers).status_code == 200
    assert service.revoke_token(seeded, token.partition(".")[0])
    response = client.get("/api/v1/reports", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "invalid or revoked API token"


def test_token_with_the_wrong_secret_is_401(client, seeded):
    token_id = service.create_token(seeded, "admin").partition(".")[0]
    assert client.get("/api/v1/reports", headers={"Authorization": f"Bearer {token_id}.wrong"}).status_code == 401


def test_users_refuse_weak_passwords_unknown_roles_and_duplicates(seeded):
    with pytest.raises(ValueError, match="at least 8"):
        service.create_user(seeded, "weak", "sales", "short")
    with pytest.raises(ValueError, match="unknown role"):
        service.create_user(seeded, "boss", "owner", "long-enough-1")
    with pytest.raises(ValueError, match="already exists"):
        service.create_user(seeded, "admin", "admin", "long-enough-1")


def test_passwords_are_stored_as_argon2_hashes(seeded):
    user = service.get_user(seeded, "admin")
    assert user.password_hash.startswith("$argon2id$")
    assert "admin-pass-123" not in user.password_hash
    assert service.verify_password(seeded, "admin", "admin-pass-123").login == "admin"
    assert service.verify_password(seeded, "admin", "admin-pass-12") is None


def test_healthz_needs_no_sign_in(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_openapi_is_served_offline_and_docs_ui_is_off(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "b2bgrowth"
    assert client.get("/api/v1/docs").status_code in (401, 404)
