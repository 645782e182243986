"""The names of the entities `b2bgrowth import` / `export` take, in the order entities.py declares
them, plus "events" (the event store). Kept apart from entities.py (which loads pandas and every
capability's models) so the CLI can show them in its help at once; tests/interchange checks the
two lists agree."""

ENTITY_NAMES = (
    "accounts", "contacts", "leads", "touches", "opportunities", "subscriptions", "nps_responses", "channels",
    "channel_costs", "campaigns", "community_groups", "community_members", "community_messages", "requirements",
    "events",
)
