"""Checks of the command line's paths and settings, made before any work: one line each, never a traceback.

A run that would delete hand-written pages (``--site`` above ``--docs``), nest a site in
itself, fail after swapping in a new site (``--report`` in a missing folder) or fork a
thousand workers is refused before it starts.
"""

from __future__ import annotations

import errno
import os
import re
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from cleansite.show import shown

# An http(s) URL template: scheme, host, then only characters a URL may hold unescaped
# and none that ends a Markdown link or starts another: no ( ) [ ] < > " ` \ { } or spaces.
_URL_CHARS = r"[A-Za-z0-9._~:/?#@!$&'*+,;=%-]"
_EXTERNAL_URL = re.compile(rf"https?://[A-Za-z0-9.-]+(?::\d+)?[/?#]{_URL_CHARS}*\{{id\}}{_URL_CHARS}*")
# The same for --source-url, which may also hold {year} and {month} (the created date's).
_SOURCE_URL = re.compile(rf"https?://[A-Za-z0-9.-]+(?::\d+)?[/?#](?:{_URL_CHARS}|\{{(?:id|year|month)\}})*")
MAX_JOBS_PER_CORE = 2


class UsageError(ValueError):
    """A setting that cannot work: the run is refused (exit status 2) with this one-line reason."""


def check_outputs(docs: Path, site: Path | None) -> None:
    """``--site`` and ``--docs`` must be apart: one inside the other deletes or nests pages on every build."""
    docs = docs.resolve()
    if docs.exists() and not docs.is_dir():
        raise UsageError(f"--docs {shown(docs)} is not a folder")
    if site is None:
        return
    site = site.resolve()
    if site == docs or site.is_relative_to(docs) or docs.is_relative_to(site):
        raise UsageError(f"--site {shown(site)} and --docs {shown(docs)} must be separate folders, neither inside the other")


def check_config(config: Path) -> None:
    """The MkDocs configuration must be a readable file of valid YAML."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils import yaml_load
    from yaml import YAMLError

    if not config.is_file():
        raise UsageError(f"--config {shown(config)}: {'is a folder' if config.is_dir() else 'no such file'}")
    try:
        with config.open(encoding="utf-8") as handle:
            loaded = yaml_load(handle)
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--config {shown(config)}: cannot read it ({shown(getattr(error, 'strerror', None) or error)})") from error
    except (YAMLError, ConfigurationError) as error:  # MkDocs wraps YAML errors in its own
        mark = getattr(error, "problem_mark", None) or getattr(error.__cause__, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise UsageError(f"--config {shown(config)}: not valid YAML{where}") from error
    except Exception as error:  # a tag naming a Python object that does not import, and the like
        raise UsageError(f"--config {shown(config)}: cannot load it ({type(error).__name__})") from error
    if not isinstance(loaded, dict):
        raise UsageError(f"--config {shown(config)}: not a MkDocs configuration (a YAML mapping)")


def check_report(report: Path | None) -> None:
    """``--report`` must be writable now, not found unwritable after the new site is swapped in."""
    if report is None:
        return
    folder = report.resolve().parent
    if report.is_dir():
        raise UsageError(f"--report {shown(report)} is a folder")
    if not folder.is_dir():
        raise UsageError(f"--report {shown(report)}: no such folder {shown(folder)}")
    if not os.access(folder, os.W_OK) or (report.exists() and not os.access(report, os.W_OK)):
        raise UsageError(f"--report {shown(report)}: not writable")


def check_external_url(template: str | None) -> None:
    """An http(s) URL holding ``{id}``, with nothing that could end the Markdown link it lands in."""
    if template is not None and not _EXTERNAL_URL.fullmatch(template):
        raise UsageError("--external-url must be an http(s) URL holding {id}, without spaces, quotes, brackets or parentheses")


def check_source_url(template: str | None) -> None:
    """An http(s) URL holding ``{id}`` (and maybe ``{year}``, ``{month}``), with nothing that could end the Markdown link it lands in."""
    if template is not None and not (_SOURCE_URL.fullmatch(template) and "{id}" in template):
        raise UsageError(
            "--source-url must be an http(s) URL holding {id} (and maybe {year}, {month}), without spaces, quotes, brackets or parentheses"
        )


def cap_jobs(jobs: int) -> tuple[int, str | None]:
    """At most two workers per core (each may run MkDocs): the number of jobs to use, and a message if capped."""
    cores = os.cpu_count() or 1
    limit = MAX_JOBS_PER_CORE * cores
    if jobs > limit:
        return limit, f"--jobs {jobs} capped at {limit} ({MAX_JOBS_PER_CORE} per core, {cores} cores)"
    return max(1, jobs), None


def failure_line(error: BaseException) -> str:
    """A one-line reason for an error that ended a run (the traceback is for ``--debug``)."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return f"no space left on device{_where(error)}; the previous site is intact"
    if isinstance(error, BrokenProcessPool):
        return "a worker process died (out of memory? try fewer --jobs); the previous site is intact"
    if type(error).__name__ == "KilledWorker":  # Dask's (not imported here): its retries on other workers died too
        return "Dask workers died running the same pages (out of memory?); the previous site is intact"
    if isinstance(error, OSError):
        return f"{shown(error.strerror or error)}{_where(error)}; the previous site is intact"
    return f"internal error: {type(error).__name__}: {shown(error)} (--debug shows the traceback)"


def _where(error: OSError) -> str:
    if error.filename2:  # a copy: the second file is the one written
        return f" (writing {shown(error.filename2)})"
    return f" (writing or reading {shown(error.filename)})" if error.filename else ""
