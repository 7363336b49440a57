"""Bearer tokens: `Authorization: Bearer <token>`, checked against the
hashed tokens of the store's users (made with `python -m backend users`).
Who a token is stays cached USER_TTL seconds: a revocation takes effect
within that time."""
from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from .cache import MISSING, TTLCache
from .store import hash_token

USER_TTL = 2.0


class Unauthorized(Exception):
    pass


def bearer_token(request):
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def user_cache():
    return TTLCache(USER_TTL)


async def current_user(request: Request):
    """FastAPI dependency: the calling user, or 401."""
    token = bearer_token(request)
    if not token:
        raise Unauthorized()
    cache, key = request.app.state.user_cache, hash_token(token)
    user = cache.get(key)
    if user is MISSING:
        user = await run_in_threadpool(request.app.state.store.user_for_token, token)
        cache.put(key, user)
    if user is None:
        raise Unauthorized()
    return user
