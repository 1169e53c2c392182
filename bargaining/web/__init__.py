"""The web lab (``bargain serve``): a local Starlette app, a client of the same API as the CLI.

- :mod:`bargaining.web.compute` — what a request asks for, as plain functions of JSON-like
  input (load a game from a library name or uploaded text, solve, draw, explain, regime map,
  learning dynamics, validation, export); they run in worker processes;
- :mod:`bargaining.web.jobs` — the worker pool: a bounded number of processes, each job killed
  at its time budget, so a heavy game never blocks the server;
- :mod:`bargaining.web.server` — the HTTP routes and the static page (``static/``, no CDN).
"""
