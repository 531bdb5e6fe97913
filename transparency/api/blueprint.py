"""/api/v1: areas, published disclosures with their versions and rows, publication counts,
public complaint matters, and the OpenAPI document describing them.

Read-only and public. Everything it returns is already on the public pages, in the same
masked form. Errors are JSON ({"error": …, "status": …}) with the usual status codes.
The views live in api/disclosures.py and api/matters.py, their OpenAPI pieces in api/spec/.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from transparency.api import disclosures, matters, openapi
from transparency.api.params import BadParameter, NoSuchArea
from transparency.api.spec import areas as areas_spec
from transparency.api.spec import disclosures as disclosures_spec
from transparency.api.spec import matters as matters_spec
from transparency.core.security import public

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.errorhandler(NoSuchArea)
def _no_such_area(error: NoSuchArea):
    return jsonify(error=str(error), status=404), 404


@bp.errorhandler(BadParameter)
def _bad_parameter(error: BadParameter):
    return jsonify(error=str(error), status=400), 400


@bp.get("/openapi.json")
@public
def openapi_document():
    """This API described in OpenAPI 3."""
    return jsonify(openapi.document())


for rule, view in (
    ("/areas", disclosures.areas),
    ("/disclosures", disclosures.disclosures),
    ("/disclosures/<int:disclosure_id>", disclosures.disclosure),
    ("/disclosures/<int:disclosure_id>/versions/<int:number>", disclosures.version),
    ("/statistics", disclosures.statistics),
    ("/matters", matters.matters),
    ("/matters/<int:matter_id>", matters.matter),
):
    bp.add_url_rule(rule, view_func=view, methods=["GET"])

for piece in (areas_spec, disclosures_spec, matters_spec):
    openapi.add_piece(schemas=piece.SCHEMAS, paths=piece.PATHS)
