"""``/health``: 200 when a worker answers a query on the store, else 503 with the reason."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..errors import PartnerKGError
from .state import state

bp = Blueprint("health", __name__)


@bp.route("/health")
def health() -> tuple[Response, int]:
    try:
        details = state().engine.status()
    except PartnerKGError as exc:
        return jsonify({"status": "unavailable", "reason": str(exc)}), 503
    return jsonify({"status": "ok", **details}), 200
