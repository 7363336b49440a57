"""Bearer tokens: `Authorization: Bearer <token>`, checked against the
hashed tokens of the store's users (made with `python -m backend users`)."""
from fastapi import Request


class Unauthorized(Exception):
    pass


def bearer_token(request):
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_user(request: Request):
    """FastAPI dependency: the calling user, or 401."""
    token = bearer_token(request)
    user = request.app.state.store.user_for_token(token) if token else None
    if user is None:
        raise Unauthorized()
    return user
