"""The ``cleansite`` command line: build, convert, parse, serve, new."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cleansite import __version__, checks, pipeline
from cleansite.config import CACHE_NAME, EXECUTORS, Config, default_config_file, folders_of, is_bundled
from cleansite.dask_executor import ClusterUnusable
from cleansite.lock import BuildLocked, output_lock
from cleansite.report import print_report, write_report
from cleansite.scaffold import SiteExists, new_site, seed_docs
from cleansite.show import shown
from rich.console import Console


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, with help text for every command and option."""
    parser = argparse.ArgumentParser(
        prog="cleansite", description="Turn scraped cable pages into a clean, cross-linked, searchable reading site."
    )
    parser.add_argument("--version", action="version", version=f"cleansite {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser("build", help="convert pages to Markdown in site_src/, then build the site with MkDocs")
    _add_pages(build)
    _add_output(build)
    build.add_argument("--site", type=Path, help="folder of the built site (default: the site_dir of mkdocs.yml, else site/)")
    _add_config(build)
    _add_external(build)
    _add_run_options(build)
    build.add_argument(
        "--search", choices=["auto", "material", "sharded"], default="auto",
        help="search index: Material's (whole index per page view) up to 1,000 documents, sharded above (auto, the default), or forced",
    )  # fmt: skip
    convert = commands.add_parser("convert", help="only write the Markdown pages")
    _add_pages(convert, required=True)
    _add_output(convert)
    _add_external(convert)
    _add_run_options(convert)
    parse = commands.add_parser("parse", help="print one JSON object per page per line")
    _add_pages(parse, required=True)
    _add_run_options(parse)
    serve = commands.add_parser("serve", help="live preview of site_src/ with MkDocs' server")
    _add_config(serve)
    serve.add_argument("--address", default="127.0.0.1:8000", help="IP:PORT to serve on (default: 127.0.0.1:8000)")
    new = commands.add_parser("new", help="write a starter site (mkdocs.yml, a home page, .gitignore) into a folder")
    new.add_argument("folder", type=Path, metavar="DIR", help="folder of the new site (created if missing)")
    for command in (build, convert, parse, serve, new):
        command.add_argument("--debug", action="store_true", help="show the Python traceback of an error that ends the run")
    return parser


def _add_config(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--config", type=Path, help="MkDocs configuration (default: mkdocs.yml of the working folder, else the bundled one)"
    )


def _add_pages(command: argparse.ArgumentParser, required: bool = False) -> None:
    command.add_argument(
        "pages",
        nargs="+" if required else "*",
        type=Path,
        metavar="PAGES",
        help="page files or folders (searched recursively)" + ("" if required else "; default: samples/"),
    )


def _add_external(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--external-url",
        metavar="TEMPLATE",
        help="link references to documents outside the collection to TEMPLATE, where {id} is the canonical ID "
        "(e.g. 'https://wikileaks.org/plusd/cables/{id}_a.html'); default: no link, the ID is shown",
    )
    command.add_argument(
        "--source-url",
        metavar="TEMPLATE",
        help="link the card of a document whose page does not name its own URL (the viewer's pages do) to TEMPLATE, "
        "where {id} is the canonical ID and {year}, {month} those of its created date "
        "(e.g. 'https://wikileaks.org/cable/{year}/{month}/{id}.html'); default: no link",
    )


def _add_run_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores; at most 2 per core)")
    command.add_argument(
        "--page-timeout", type=float, default=60.0, metavar="SECONDS",
        help="a page that takes longer to convert is reported as failed and left out (default: 60; 0: no limit)",
    )  # fmt: skip
    command.add_argument(
        "--cache", type=Path, help=f"cache of parsed pages (default: {CACHE_NAME}/ beside mkdocs.yml, else in the working folder)"
    )
    command.add_argument(
        "--executor", choices=EXECUTORS, default="pool",
        help="where the per-page stages run: the built-in process pool (default), or a Dask cluster "
        "(a local one of --jobs workers, or --scheduler's; needs the dask extra)",
    )  # fmt: skip
    command.add_argument(
        "--scheduler", metavar="ADDRESS", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --executor dask)"
    )


def _add_output(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--docs", type=Path, help="MkDocs docs folder to write into (default: the docs_dir of mkdocs.yml, else site_src/)"
    )
    command.add_argument("--strict", action="store_true", help="fail (exit status 1) when any page cannot be converted")
    command.add_argument(
        "--allow-empty", action="store_true", help="let PAGES holding no document replace a site that has some (refused by default)"
    )
    command.add_argument(
        "--report", type=Path, metavar="FILE", help="also write the run's report (figures, bad pages, unparsed REF entries) as JSON"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 bad pages or failed build, 2 usage, 130 interrupted).

    Whatever goes wrong ends in one line on stderr, never a traceback (``--debug`` shows it).
    """
    args = make_parser().parse_args(argv)
    try:
        return _main(args)
    except checks.UsageError as error:
        print(f"cleansite: {error}", file=sys.stderr)
        return 2
    except (BuildLocked, ClusterUnusable) as error:
        print(f"cleansite: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        kept = "; previous site intact" if args.command in ("build", "convert") else ""
        print(f"cleansite: interrupted{kept}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # ``cleansite parse ... | head``: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        if args.debug:
            raise
        print(f"cleansite: {checks.failure_line(error)}", file=sys.stderr)
        return 1


def _main(args: argparse.Namespace) -> int:
    missing = [shown(p) for p in getattr(args, "pages", []) if not p.exists()]
    if missing:
        raise checks.UsageError(f"no such file or folder: {', '.join(missing)}")
    checks.check_external_url(getattr(args, "external_url", None))
    checks.check_source_url(getattr(args, "source_url", None))
    if getattr(args, "scheduler", None):
        args.executor = "dask"
    if hasattr(args, "jobs"):
        args.jobs, message = checks.cap_jobs(args.jobs)
        if message:
            print(f"cleansite: {message}", file=sys.stderr)
    if args.command == "new":
        return _new(args.folder)
    _default_paths(args)
    if args.command == "parse":
        return _parse(args)
    if args.command == "serve":
        from cleansite.site import serve_site

        serve_site(args.config, args.address, folders_of(args.config).docs_dir)
        return 0
    checks.check_outputs(args.docs, getattr(args, "site", None))
    checks.check_report(args.report)
    args.docs.mkdir(parents=True, exist_ok=True)
    with output_lock(args.docs):
        return _convert_or_build(args)


def _default_paths(args: argparse.Namespace) -> None:
    """Paths not given come from ``--config``, else ``./mkdocs.yml`` (checked first), else the bundled one and the working folder."""
    args.config = getattr(args, "config", None) or default_config_file()
    if not is_bundled(args.config):  # the one shipped with cleansite is valid (checking imports MkDocs: 0.4 s a run)
        checks.check_config(args.config)
    folders = folders_of(args.config)
    args.cache = args.cache if getattr(args, "cache", None) else folders.cache_dir
    if hasattr(args, "docs"):
        args.docs = args.docs or folders.docs_dir
    if hasattr(args, "site"):
        args.site = args.site or folders.site_dir


def _parse(args: argparse.Namespace) -> int:
    """Print a record per page, in path order; links and backlinks come from the pages given."""
    status = 0
    records = pipeline.parse_records(args.pages, max(1, args.jobs), args.cache.resolve(), args.page_timeout, args.executor, args.scheduler)
    for line, failed in records:
        print(line)
        status = 1 if failed else status
    return status


def _convert_or_build(args: argparse.Namespace) -> int:
    config = Config(
        pages=tuple(args.pages),
        docs_dir=args.docs,
        config_file=args.config,
        site_dir=getattr(args, "site", None),
        strict=args.strict,
        external_url=args.external_url,
        source_url=args.source_url,
        jobs=max(1, args.jobs),
        cache_dir=args.cache,
        search=getattr(args, "search", "auto"),
        page_timeout=args.page_timeout,
        allow_empty=args.allow_empty,
        executor=args.executor,
        scheduler=args.scheduler,
    )
    if is_bundled(config.config_file):
        seed_docs(config.docs_dir)  # the bundled mkdocs.yml's nav names its home and about pages
    console = Console(stderr=True, width=120)
    site_build_failed = _site_build_failure(args.command)
    try:
        report = pipeline.build(config, console) if args.command == "build" else pipeline.convert(config, console)
    except pipeline.StrictFailure as error:
        if error.report is not None:
            print_report(error.report, console)  # the bad pages first: --strict must say which they are
        print(f"cleansite: {shown(error)}", file=sys.stderr)
        return 1
    except site_build_failed as error:
        print(f"cleansite: {shown(error)}", file=sys.stderr)
        return 1
    print_report(report, console)
    if args.report:
        write_report(report, args.report)
    return 0


def _site_build_failure(command: str) -> type[Exception] | tuple[()]:
    """What a failed MkDocs build raises; nothing for ``convert`` (MkDocs is imported only by the commands that build)."""
    if command != "build":
        return ()
    from cleansite.site import SiteBuildFailed

    return SiteBuildFailed


def _new(folder: Path) -> int:
    """Write a starter site; status 1 if it would overwrite anything."""
    try:
        written = new_site(folder)
    except SiteExists as error:
        print(f"cleansite: {shown(error)}", file=sys.stderr)
        return 1
    print("\n".join(str(path) for path in written))
    print(f"next: cd {folder} && cleansite build PAGES...  (or add `pages:` to the cleansite plugin in mkdocs.yml)")
    return 0
