"""``python -m genesis_load.results``: print the results JSON Schema (docs/results.schema.json)."""

import json

from .schema import json_schema

print(json.dumps(json_schema(), indent=1))
