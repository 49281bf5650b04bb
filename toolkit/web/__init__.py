"""``xueqing serve``: a page in the office's browser that does what the commands do.

The people who run the toolkit are academic-affairs staff, not programmers; the page lets them
upload a term's files (or a folder, or a zip), see what each file was taken for and every
problem with its file › sheet › cell, download the 标注版回执, run any report and download its
outputs — without a terminal.

Why Flask, and why as a core dependency: the page is how non-programmers use the tool, and an
optional extra would mean a second install command they must know. Flask and Werkzeug are small
pure-Python wheels; Jinja templates give server-rendered HTML with autoescaping; werkzeug's
threaded server is enough for one office on localhost. Flask is imported only by ``serve``, so
``xueqing --help`` and every other command start as fast as before. No build step and nothing
from a CDN: templates and a little vanilla JavaScript ship in the package (schools may have no
internet).

Why reports run as child processes: every job is ``python -m toolkit <command> … --json`` in
its own folder, from a background thread — the same command a user would type, so the page
cannot drift from the CLI; a crash or a memory blow-up ends the job, not the server; and the
job's state is the progress shown. The page has no analysis logic of its own.

Modules: ``server`` (app factory, ``run_serve``), ``pages`` (the page, uploads, detection,
error pages), ``runs`` (reports, 标注版回执, blank config and templates), ``views`` (a job's
card), ``uploads`` (safe names, folders, zips), ``workspace`` (the temporary folder, each
session's batch, settings), ``jobs`` (background child processes), ``reports`` (which command
and options each report runs, and what its outcome means), ``detect`` (the detection table,
run as a child like the reports).
"""
