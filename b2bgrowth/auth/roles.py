"""The roles of b2bgrowth's users (docs/security.md), apart from the tables so the CLI can name them
without loading SQLAlchemy."""

ROLES = ("admin", "ops", "sales", "csm", "viewer")
