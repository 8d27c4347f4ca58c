"""The OpenAPI 3.1 description of the JSON API (web/api.py), served at
/api/v1/openapi.json. tests/test_api.py checks that it names every route and
that the answers have the fields it promises."""

from __future__ import annotations

from tracker.status import STATUSES
from web.api import PER_PAGE_DEFAULT, PER_PAGE_MAX, PREFIX

_LANG = {
    "name": "lang",
    "in": "query",
    "description": "Language of the texts; a text missing in Swedish or English is given in Finnish.",
    "schema": {"type": "string", "enum": ["fi", "sv", "en"], "default": "fi"},
}
_PROGRAMME = {
    "name": "programme",
    "in": "query",
    "description": "Programme id (GET /programmes); default: the one the public view shows.",
    "schema": {"type": "integer"},
}
_PAGE = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX, "default": PER_PAGE_DEFAULT},
    },
]
_NULLABLE_STRING = {"type": ["string", "null"]}
_NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
_MONEY = {
    "type": ["number", "null"],
    "description": "Euros; present only when the city shows money in its public view.",
}


def _ref(schema: str) -> dict:
    return {"$ref": f"#/components/schemas/{schema}"}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    """The schema of a JSON object with these properties, ``required`` the ones it always has."""
    return {"type": "object", **({"required": required} if required else {}), "properties": properties}


def _list_of(item: str) -> dict:
    return _object(
        {
            "data": {"type": "array", "items": _ref(item)},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "programme": {"type": "integer"},
            "links": _object({"self": {"type": "string"}, "next": _NULLABLE_STRING, "prev": _NULLABLE_STRING}),
        },
        required=["data", "page", "per_page", "total", "links"],
    )


def _ok(schema: dict, description: str) -> dict:
    return {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}},
        "400": {"$ref": "#/components/responses/BadParameter"},
        "404": {"$ref": "#/components/responses/NotFound"},
    }


MEASURE = _object(
    {
        "id": {"type": "integer"},
        "programme_id": {"type": "integer"},
        "code": {"type": "string", "examples": ["6.1"]},
        "theme_position": {"type": "integer"},
        "theme": {"type": "string"},
        "title": {"type": "string"},
        "description": _NULLABLE_STRING,
        "responsible_unit": _NULLABLE_STRING,
        "status": {
            "type": "string",
            "enum": list(STATUSES),
            "description": "The status as the public pages show it today: late when its end date has passed"
            " and it is neither done, cancelled nor continuous, whatever was recorded.",
        },
        "recorded_status": {
            "type": "string",
            "enum": list(STATUSES),
            "description": "The status last set on the measure.",
        },
        "status_label": {"type": "string", "description": "The status in the chosen language."},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        "start_date": _NULLABLE_DATE,
        "end_date": _NULLABLE_DATE,
        "is_continuous": {"type": "boolean"},
        "is_illustrative": {"type": "boolean", "description": "Demo data, not a real measure."},
        "updated_at": {"type": "string", "format": "date-time", "description": "UTC."},
        "planned_eur": _MONEY,
        "actual_eur": _MONEY,
        "links": _object({"self": {"type": "string"}}),
    },
    required=["id", "code", "theme_position", "theme", "title", "status", "status_label", "progress"],
)
DECISION = _object(
    {
        "id": {"type": "integer"},
        "body": {"type": "string", "description": "The deciding body, e.g. Kaupunginhallitus."},
        "decided_on": _NULLABLE_DATE,
        "section": {"type": ["integer", "null"], "description": "The § of the minutes."},
        "case_number": _NULLABLE_STRING,
        "title": _NULLABLE_STRING,
        "outcome": {
            "type": "string",
            "enum": ["approved", "approved_amended", "rejected", "tabled", "returned", "withdrawn"],
        },
        "unanimous": {"type": ["boolean", "null"]},
        "url": {"type": ["string", "null"], "description": "The minutes, where recorded."},
        "is_illustrative": {"type": "boolean"},
        "measure_codes": {"type": "array", "items": {"type": "string"}},
        "measure_ids": {"type": "array", "items": {"type": "integer"}},
    },
    required=["id", "body", "outcome"],
)
EVENT = _object(
    {
        "occurred_at": {"type": "string", "format": "date-time", "description": "UTC."},
        "old_status": {"type": ["string", "null"], "enum": [*STATUSES, None]},
        "new_status": {"type": "string", "enum": list(STATUSES)},
        "old_progress": {"type": ["integer", "null"]},
        "new_progress": {"type": "integer"},
        "note": _NULLABLE_STRING,
    }
)
MONEY_LINE = _object(
    {
        "year": {"type": "integer"},
        "cost_centre": {"type": "string"},
        "cost_centre_name": _NULLABLE_STRING,
        "planned_eur": {"type": "number"},
        "actual_eur": {"type": ["number", "null"]},
    }
)


def _every(item: str) -> dict:
    """An unpaged answer: every item of a kind, and how many."""
    return _object({"data": {"type": "array", "items": _ref(item)}, "total": {"type": "integer"}})


def _path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


INFO = {
    "title": "Climate-programme tracker: public API",
    "version": "1",
    "description": (
        "Read-only data of a municipality's climate programme: only published measures and their "
        "public fields; money only when the city shows it in its public view. Open to every origin (CORS)."
    ),
}
MEASURE_DETAIL = {
    "allOf": [
        _ref("Measure"),
        _object(
            {
                "status_history": {"type": "array", "items": _ref("StatusEvent")},
                "money": {
                    "type": "array",
                    "items": _ref("MoneyLine"),
                    "description": "Present only when the city shows money in its public view.",
                },
                "decisions": {"type": "array", "items": _ref("Decision")},
            }
        ),
    ]
}
MEASURE_FILTERS = [
    {
        "name": "theme",
        "in": "query",
        "description": "A theme's position.",
        "schema": {"type": "integer"},
    },
    {
        "name": "status",
        "in": "query",
        "description": "The status as shown (late by the end date too), as in the answer.",
        "schema": {"type": "string", "enum": list(STATUSES)},
    },
    {
        "name": "updated_since",
        "in": "query",
        "description": "Only measures changed at or after this date or time (ISO 8601; UTC when no zone).",
        "schema": {"type": "string"},
    },
]
PROGRAMME = _object(
    {
        "id": {"type": "integer"},
        "organisation": {"type": "string"},
        "name": {"type": "string"},
        "start_year": {"type": ["integer", "null"]},
        "end_year": {"type": ["integer", "null"]},
        "is_demo": {"type": "boolean"},
        "links": {"type": "object"},
    }
)
ERROR = _object({"error": {"type": "string"}, "parameter": {"type": "string"}, "expected": {"type": "string"}})


def _paths() -> dict:
    def get(summary: str, parameters: list, responses: dict) -> dict:
        return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}

    return {
        "/programmes": get("Every programme", [_LANG], _ok(_every("Programme"), "The programmes")),
        "/programmes/{programme_id}/themes": get(
            "A programme's themes, in order", [_path_id("programme_id"), _LANG], _ok(_every("Theme"), "The themes")
        ),
        "/measures": get(
            "A programme's published measures, one page at a time",
            [_PROGRAMME, *MEASURE_FILTERS, _LANG, *_PAGE],
            _ok(_list_of("Measure"), "A page of measures"),
        ),
        "/measures/{measure_id}": get(
            "One published measure with its status history, money and decisions",
            [_path_id("measure_id"), _LANG],
            _ok(_object({"data": MEASURE_DETAIL}), "The measure"),
        ),
        "/decisions": get(
            "The council decisions linked to a programme's published measures",
            [_PROGRAMME, *_PAGE],
            _ok(_list_of("Decision"), "A page of decisions"),
        ),
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": PREFIX}],
        "paths": _paths(),
        "components": {
            "schemas": {
                "Programme": PROGRAMME,
                "Theme": _object({"position": {"type": "integer"}, "name": {"type": "string"}}),
                "Measure": MEASURE,
                "StatusEvent": EVENT,
                "MoneyLine": MONEY_LINE,
                "Decision": DECISION,
                "Error": ERROR,
            },
            "responses": {
                "BadParameter": _error_response("A parameter is not what it should be; the answer names it."),
                "NotFound": _error_response("No such programme or published measure."),
            },
        },
    }
