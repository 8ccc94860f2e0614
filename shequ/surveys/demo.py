"""The demo district's survey year (filled in below)."""


def step(ctx, options) -> None:
    return None
