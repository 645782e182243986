"""Voice of the customer (C9): NPS responses, the NPS report, surveys.

The public surface other capabilities use — the one NPS definition — is re-exported here from
b2bgrowth.voc.nps (loaded on first use, so importing voc.models stays light).
"""

__all__ = ["PROMOTER_MIN", "PASSIVE_MIN", "DETRACTOR_MAX", "classify", "band", "is_detractor", "nps_value",
           "nps_of_scores"]


def __getattr__(name: str):
    if name in __all__:
        from b2bgrowth.voc import nps

        return getattr(nps, name)
    raise AttributeError(f"module 'b2bgrowth.voc' has no attribute {name!r}")
