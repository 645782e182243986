"""HTTP ingestion and maintenance commands of the event store (b2bgrowth/events is the store)."""
