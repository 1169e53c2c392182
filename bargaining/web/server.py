"""The lab's HTTP server: Starlette routes over :mod:`bargaining.web.compute`, run by uvicorn.

Every computation runs in the worker pool (:mod:`bargaining.web.jobs`) off the request thread,
with a budget; the page, its script and its style are files in ``static/`` (no CDN, works
offline). User errors come back as ``422 {"error": "..."}``, a job over its budget as
``504 {"error": "..."}``.
"""

from __future__ import annotations

import base64
import json
import threading
from pathlib import Path
from typing import Any

from bargaining.errors import BargainingError
from bargaining.web import compute
from bargaining.web.jobs import JobFailed, JobTimeout, Pool

__all__ = ["create_app", "run", "STATIC"]

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 2 * compute.MAX_TEXT + 64 * 1024


def _require_web() -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ModuleNotFoundError:
        raise BargainingError(
            "the web lab needs starlette and uvicorn: pip install 'bargaining[web]'"
        ) from None


def create_app(workers: int = 2, timeout: float = 20.0, warm: bool = True) -> Any:
    """The Starlette app: ``workers`` solver processes, ``timeout`` seconds per job."""
    _require_web()
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    pool = Pool(workers)
    cache: dict[str, Any] = {}

    async def job(fn, budget: float | None = None, **kwargs: Any) -> Any:
        budget = timeout if budget is None else budget
        try:
            result = await run_in_threadpool(pool.run, fn, budget, kwargs)
        except JobTimeout:
            return JSONResponse(
                {
                    "error": f"this took longer than {budget:g} s and was stopped; "
                    "try a smaller game or other parameters"
                },
                status_code=504,
            )
        except JobFailed as err:
            return JSONResponse({"error": f"internal error: {err}"}, status_code=500)
        if isinstance(result, dict) and "error" in result:
            return JSONResponse(result, status_code=422)
        return result

    async def body(request: Request) -> dict[str, Any]:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            raise BargainingError(f"request larger than {MAX_BODY // 1024} KB")
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            raise BargainingError("request body is not JSON") from None
        if not isinstance(data, dict):
            raise BargainingError("request body must be a JSON object")
        return data

    def endpoint(handler):
        async def wrapped(request: Request) -> Response:
            try:
                out = await handler(await body(request))
            except BargainingError as err:
                return JSONResponse({"error": str(err)}, status_code=422)
            return out if isinstance(out, Response) else JSONResponse(out)

        return wrapped

    def num(value: Any, name: str, default: Any = None, cast=int) -> Any:
        if value is None:
            return default
        try:
            return cast(value)
        except (TypeError, ValueError):
            raise BargainingError(f"{name}: expected a number, got {value!r}") from None

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    async def games(request: Request) -> Response:
        if "games" not in cache:
            cache["games"] = await run_in_threadpool(compute.games)
        return JSONResponse(cache["games"])

    async def info(d):
        return await job(compute.game_info, source=d.get("source"))

    async def solve(d):
        return await job(
            compute.solve_view,
            source=d.get("source"),
            params=d.get("params") or {},
            equilibrium=num(d.get("equilibrium"), "equilibrium"),
            timeout=0.75 * timeout,
        )

    async def regimes(d):
        return await job(
            compute.regimes,
            budget=4 * timeout,
            source=d.get("source"),
            params=d.get("params") or {},
            x=str(d.get("x")),
            y=(str(d["y"]) if d.get("y") else None),
            n=num(d.get("n"), "n", 10),
        )

    async def learn(d):
        return await job(
            compute.learn_view,
            source=d.get("source"),
            params=d.get("params") or {},
            dynamics=str(d.get("dynamics")),
            steps=num(d.get("steps"), "steps"),
            seed=num(d.get("seed"), "seed", 0),
        )

    async def validate(d):
        text = d.get("text")
        if not isinstance(text, str):
            raise BargainingError("validate: expected {'text': '...'}")
        return await job(compute.validate, text=text)

    async def export(d):
        out = await job(
            compute.export_file,
            source=d.get("source"),
            params=d.get("params") or {},
            fmt=str(d.get("format")),
            equilibrium=num(d.get("equilibrium"), "equilibrium"),
            timeout=0.75 * timeout,
        )
        if isinstance(out, Response):
            return out
        data = base64.b64decode(out["data"]) if out.get("base64") else out["data"].encode("utf-8")
        return Response(
            data,
            media_type=out["media_type"],
            headers={"Content-Disposition": f'attachment; filename="{out["filename"]}"'},
        )

    routes = [
        Route("/", index),
        Route("/api/games", games),
        Route("/api/info", endpoint(info), methods=["POST"]),
        Route("/api/solve", endpoint(solve), methods=["POST"]),
        Route("/api/regimes", endpoint(regimes), methods=["POST"]),
        Route("/api/learn", endpoint(learn), methods=["POST"]),
        Route("/api/validate", endpoint(validate), methods=["POST"]),
        Route("/api/export", endpoint(export), methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.pool = pool
    if warm:  # start the forkserver (imports the package once) while the page loads
        threading.Thread(target=lambda: _quiet(pool.run, compute.warm_up, 120, {}), daemon=True).start()
    return app


def _quiet(fn, *args: Any) -> None:
    try:
        fn(*args)
    except (JobTimeout, JobFailed):
        pass


def run(host: str = "127.0.0.1", port: int = 8000, workers: int = 2, timeout: float = 20.0) -> None:
    """Serve the lab until interrupted (``bargain serve``)."""
    _require_web()
    import uvicorn

    app = create_app(workers=workers, timeout=timeout)
    print(f"bargain lab on http://{host}:{port}/  (Ctrl-C stops it)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
