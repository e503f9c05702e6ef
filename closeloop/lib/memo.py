"""A memo that lives as long as one request: a rule read several times while answering (may this person
record this meeting?) is read from the database once. Outside a request (commands, the worker, tests that
call services directly) nothing is remembered, so nothing can be stale there.
"""

import contextvars

_memo = contextvars.ContextVar("closeloop_request_memo", default=None)


def remembered(key, compute):
    """compute() once per request for `key`; every call outside a request computes afresh."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def remember(key, value):
    """Store a value read along with something else (one query instead of two); outside a request, nothing."""
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


def forget(*keys):
    """Drop remembered values (a write that changes what they say calls this)."""
    memo = _memo.get()
    if memo is not None:
        for key in keys:
            memo.pop(key, None)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
