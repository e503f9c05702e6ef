"""Schemathesis against the served OpenAPI schema, in-process through WSGI, for one role at a time.

Each operation gets `examples` generated requests (valid ones and, for operations that take input, invalid
ones too), sent with the role's token. A response fails the gate when it is a server error, when its status
code is not documented for the operation, or when its body or content type contradicts the schema. Failures
are collected, not raised, so one run gives every figure.
"""

import dataclasses
import os
from collections import Counter

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

SCHEMA_PATH = "/api/v1/openapi.json"
# make test runs a bounded number; make fuzz sets FUZZ_EXAMPLES=1000
DEFAULT_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))


@dataclasses.dataclass
class Figures:
    role: str
    cases: int = 0
    operations: int = 0
    server_errors: list = dataclasses.field(default_factory=list)
    schema_violations: list = dataclasses.field(default_factory=list)
    undocumented: Counter = dataclasses.field(default_factory=Counter)  # "GET /path 405" -> count

    @property
    def ok(self):
        return not (self.server_errors or self.schema_violations or self.undocumented)

    def line(self):
        return (f"{self.role:<16} operations={self.operations} cases={self.cases} "
                f"server_errors={len(self.server_errors)} schema_violations={len(self.schema_violations)} "
                f"undocumented_codes={len(self.undocumented)}")

    def report(self, limit=15):
        lines = [self.line()]
        lines += [f"  5xx {x}" for x in self.server_errors[:limit]]
        lines += [f"  schema {x}" for x in self.schema_violations[:limit]]
        lines += [f"  undocumented {k} (x{n})" for k, n in list(self.undocumented.items())[:limit]]
        return "\n".join(lines)


def load_schema(app):
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, app)


def _documented(operation):
    responses = operation.definition.raw.get("responses", {})
    return {str(code) for code in responses}


def _takes_input(operation):
    raw = operation.definition.raw
    return bool(raw.get("parameters") or raw.get("requestBody"))


def fuzz_operation(operation, figures, *, headers, examples, seed=0):
    """Send `examples` positive and (when there is input to spoil) as many negative cases to one operation."""
    label = f"{operation.method.upper()} {operation.path}"
    documented = _documented(operation)
    modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if _takes_input(operation) else [])
    for mode in modes:
        strategy = operation.as_strategy(generation_mode=mode)

        @hypothesis.seed(seed)
        @hypothesis.settings(max_examples=examples, deadline=None, database=None, derandomize=False,
                             phases=[Phase.generate], suppress_health_check=list(HealthCheck),
                             verbosity=hypothesis.Verbosity.quiet)
        @hypothesis.given(case=strategy)
        def run(case):
            response = case.call(headers=headers)
            figures.cases += 1
            status = response.status_code
            where = f"{label} {status} ({mode.value})"
            if status >= 500:
                figures.server_errors.append(f"{where}: {case.as_curl_command(headers=headers)[:300]}")
                return
            if str(status) not in documented and "default" not in documented:
                figures.undocumented[f"{label} {status}"] += 1
                return
            try:
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance,
                                                         content_type_conformance], headers=headers)
            except (AssertionError, BaseExceptionGroup) as exc:  # schemathesis raises its check failures
                figures.schema_violations.append(f"{where}: {str(exc).strip().splitlines()[0][:200]}")

        run()
    figures.operations += 1


def fuzz(schema, role, *, headers, examples=DEFAULT_EXAMPLES):
    figures = Figures(role=role)
    for result in schema.get_all_operations():
        operation = result.ok()
        fuzz_operation(operation, figures, headers=headers, examples=examples)
    return figures
