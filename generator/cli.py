"""The ``cleansite`` command line: build, convert, parse, serve."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generator import __version__, pipeline
from generator.config import PROJECT_DIR, Config
from generator.link import Collection, find_links
from generator.model import PageError
from generator.records import collection_record, document_record, error_record
from generator.site import SiteBuildFailed, serve_site

SAMPLES = PROJECT_DIR / "samples"


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
    build.add_argument("--site", type=Path, default=PROJECT_DIR / "site", help="folder of the built site (default: site/)")
    build.add_argument("--config", type=Path, default=PROJECT_DIR / "mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    convert = commands.add_parser("convert", help="only write the Markdown pages")
    _add_pages(convert, required=True)
    _add_output(convert)
    parse = commands.add_parser("parse", help="print one JSON object per page per line")
    _add_pages(parse, required=True)
    serve = commands.add_parser("serve", help="live preview of site_src/ with MkDocs' server")
    serve.add_argument("--config", type=Path, default=PROJECT_DIR / "mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    serve.add_argument("--address", default="127.0.0.1:8000", help="IP:PORT to serve on (default: 127.0.0.1:8000)")
    return parser


def _add_pages(command: argparse.ArgumentParser, required: bool = False) -> None:
    command.add_argument(
        "pages",
        nargs="+" if required else "*",
        type=Path,
        metavar="PAGES",
        help="page files or folders (searched recursively)" + ("" if required else "; default: samples/"),
    )


def _add_output(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--docs", type=Path, default=PROJECT_DIR / "site_src", help="MkDocs docs folder to write into (default: site_src/)"
    )
    command.add_argument("--strict", action="store_true", help="fail (exit status 1) when any page cannot be converted")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 bad pages or failed build, 2 usage)."""
    args = make_parser().parse_args(argv)
    missing = [str(p) for p in getattr(args, "pages", []) if not p.exists()]
    if missing:
        print(f"cleansite: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.command == "parse":
        return _parse(args.pages)
    if args.command == "serve":
        serve_site(args.config, args.address)
        return 0
    return _convert_or_build(args)


def _parse(pages: list[Path]) -> int:
    """Print a record per page, in path order; links and backlinks come from the pages given."""
    results = list(pipeline.convert_pages(pages))
    report = pipeline.keep_one_per_id(results)
    pipeline.link_documents(report)
    collection = Collection.of(report.documents)
    status = 0
    for result in results:
        if isinstance(result, PageError):
            status = status if result.skipped else 1
            record = error_record(result)
        elif result.id:
            links = [span.link for span in find_links(result, collection)]
            record = collection_record(result, links, report.citations.get(result.id, []))
        else:
            record = document_record(result)
        print(json.dumps(record, ensure_ascii=False))
    return status


def _convert_or_build(args: argparse.Namespace) -> int:
    config = Config(
        pages=tuple(args.pages or [SAMPLES]),
        docs_dir=args.docs,
        config_file=getattr(args, "config", PROJECT_DIR / "mkdocs.yml"),
        site_dir=getattr(args, "site", PROJECT_DIR / "site"),
        strict=args.strict,
    )
    try:
        report = pipeline.build(config) if args.command == "build" else pipeline.convert(config)
    except (SiteBuildFailed, pipeline.StrictFailure) as error:
        print(f"cleansite: {error}", file=sys.stderr)
        return 1
    _print_report(report)
    return 0


def _print_report(report: pipeline.Report) -> None:
    for error in report.errors:
        print(f"{error.path}: {error.reason}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{len(report.documents)} documents written, {len(report.errors)} pages skipped", file=sys.stderr)
