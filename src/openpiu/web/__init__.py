"""The analyst application (web UI and REST API); see :func:`create_app`."""

from openpiu.web.app import create_app

__all__ = ["create_app"]
