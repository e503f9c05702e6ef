"""Schemathesis against the served OpenAPI schema, in-process through WSGI, for one role at a time.

Each operation gets `examples` generated requests in all, shared between valid ones, invalid ones (when it
takes input) and valid ones on real objects (when its path ids can be real), sent with the role's token;
hypothesis stops early on an operation whose every possible request it has already sent. A response fails the
gate when it is a server error, when its status code is not documented for the operation, or when its body or
content type contradicts the schema. Failures are collected, not raised, so one run gives every figure.
"""

import dataclasses
import math
import os
import re
import time
from collections import Counter

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

SCHEMA_PATH = "/api/v1/openapi.json"
# Cases per operation: make test runs a bounded number; make fuzz sets FUZZ_EXAMPLES=1000
DEFAULT_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))


@dataclasses.dataclass
class Figures:
    role: str
    cases: int = 0
    operations: int = 0
    server_errors: list = dataclasses.field(default_factory=list)
    schema_violations: list = dataclasses.field(default_factory=list)
    undocumented: Counter = dataclasses.field(default_factory=Counter)  # "GET /path 405" -> count
    exhausted: int = 0  # operations that got fewer cases than asked: hypothesis had sent every distinct one
    seconds: float = 0.0
    sending: float = 0.0  # of which spent in the app and checking its answer (the rest is generating cases)

    @property
    def ok(self):
        return not (self.server_errors or self.schema_violations or self.undocumented)

    def line(self):
        return (f"{self.role:<16} operations={self.operations} cases={self.cases} "
                f"server_errors={len(self.server_errors)} schema_violations={len(self.schema_violations)} "
                f"undocumented_codes={len(self.undocumented)} exhausted={self.exhausted} seconds={self.seconds:.0f} "
                f"cases_per_second={self.cases / max(self.seconds, 1e-9):.1f} sending={self.sending:.0f}s")

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


def _send(case, figures, *, label, documented, headers, mode):
    started = time.perf_counter()
    try:
        _check(case, figures, label=label, documented=documented, headers=headers, mode=mode)
    finally:
        figures.sending += time.perf_counter() - started


def _check(case, figures, *, label, documented, headers, mode):
    response = case.call(headers=headers)
    figures.cases += 1
    status = response.status_code
    where = f"{label} {status} ({mode})"
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
        detail = " ".join(line.strip() for line in str(exc).splitlines()[1:12] if line.strip())
        figures.schema_violations.append(f"{where}: {detail[:300]} — body: {response.content[:300]!r}")


def _run(strategy, examples, seed, send):
    @hypothesis.seed(seed)
    @hypothesis.settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
                         suppress_health_check=list(HealthCheck), verbosity=hypothesis.Verbosity.quiet)
    @hypothesis.given(case=strategy)
    def run(case):
        send(case)

    run()


def fuzz_operation(operation, figures, *, headers, examples, known_ids=None, seed=0):
    """Send `examples` cases to one operation, shared between valid ones, invalid ones (when there is input to
    spoil) and, when every id in its path is one of `known_ids`, valid ones on those real objects."""
    label = f"{operation.method.upper()} {operation.path}"
    documented = _documented(operation)
    batches = [(GenerationMode.POSITIVE, None)]
    if _takes_input(operation):
        batches.append((GenerationMode.NEGATIVE, None))
    path_names = [p.get("name") for p in operation.definition.raw.get("parameters", []) if p.get("in") == "path"]
    if path_names and known_ids and all(name in known_ids for name in path_names):
        batches.append((GenerationMode.POSITIVE, {name: known_ids[name] for name in path_names}))
    per_batch = max(math.ceil(examples / len(batches)), 1)
    before = figures.cases
    for mode, path_parameters in batches:
        # The role's credentials are fixed in the strategy rather than generated and then overwritten.
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters,
                                         headers=headers or None)
        tag = mode.value + (" on known ids" if path_parameters else "")

        def send(case, tag=tag):
            _send(case, figures, label=label, documented=documented, headers=headers, mode=tag)

        _run(strategy, per_batch, seed, send)
    figures.operations += 1
    if figures.cases - before < examples:
        figures.exhausted += 1


def fuzz(schema, role, *, headers, examples=DEFAULT_EXAMPLES, known_ids=None, only=None, shard=(0, 1),
         progress=None):
    """Every operation of the schema, or those whose "METHOD /path" matches the regular expression `only`; with
    shard=(k, n) only every n-th of them starting at the k-th, so n processes share one role. With `progress` (a
    path), a line of running figures is appended after each operation, so a run stopped early still tells."""
    figures = Figures(role=role if shard[1] == 1 else f"{role}[{shard[0] + 1}/{shard[1]}]")
    started = time.perf_counter()
    selected = [result.ok() for result in schema.get_all_operations()]
    selected = [op for op in selected if not only or re.search(only, f"{op.method.upper()} {op.path}")]
    for operation in selected[shard[0]::shard[1]]:
        fuzz_operation(operation, figures, headers=headers, examples=examples, known_ids=known_ids)
        figures.seconds = time.perf_counter() - started
        if progress:
            with open(progress, "a", encoding="utf-8") as out:
                out.write(f"{figures.line()} last={operation.method.upper()} {operation.path}\n")
    figures.seconds = time.perf_counter() - started
    return figures
