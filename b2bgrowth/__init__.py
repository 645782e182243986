"""b2bgrowth: customer growth for B2B companies, self-hosted."""

__version__ = "0.1.0"
