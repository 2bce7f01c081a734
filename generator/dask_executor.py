"""The per-page map on a Dask cluster (``--executor dask``): a local one by default, or a scheduler's address.

The per-page stages (the site-chrome count, then load, detect, strip, parse, through the
cache) are a pure map from a page to its result: the same stage functions run here as in
the built-in pool, chunks of pages per task, a few chunks in flight, results in path order.
The collection stages (links, rendering, search) and the MkDocs builds do not use it.

The workers must see the pages and the cache folder at the paths this process sees (one
machine, or a shared filesystem), and run the same cleansite: a cluster whose workers run
another version is refused. Needs the ``dask`` extra: ``pip install "cleansite[dask]"``.
"""

from __future__ import annotations

import logging
import warnings
from collections import deque
from collections.abc import Callable, Iterator

from cleansite import stages
from cleansite.cache import generator_version

INSTALL_HINT = 'pip install "cleansite[dask]"'


class ClusterUnusable(RuntimeError):
    """Dask is not installed, the scheduler cannot be reached, or its workers run another cleansite."""


class DaskExecutor:
    """A Dask client for one run: ``with DaskExecutor(None, 2) as executor: executor.map(...)``.

    ``scheduler``: the address of a running scheduler (``tcp://host:8786``); None starts a
    local cluster of ``workers`` processes, one thread each, closed again at the end.
    """

    def __init__(self, scheduler: str | None, workers: int) -> None:
        self.scheduler = scheduler
        self.workers = max(1, workers)
        self.client = None
        self.cluster = None

    def __enter__(self) -> DaskExecutor:
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:
            raise ClusterUnusable(f"--executor dask needs Dask's distributed scheduler: {INSTALL_HINT}") from error
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="30s")
            else:
                with warnings.catch_warnings():  # "port 8787 in use" when another local cluster runs: a free port is taken
                    warnings.simplefilter("ignore", UserWarning)
                    self.cluster = LocalCluster(
                        n_workers=self.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None, silence_logs=logging.ERROR,
                    )  # fmt: skip
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as error:
            self.close()
            raise ClusterUnusable(f"cannot reach the Dask scheduler {self.scheduler or '(local cluster)'}: {error}") from error
        self._check_versions()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the client, and the local cluster if this executor started one."""
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def threads(self) -> int:
        """Task threads of the cluster's workers (how many chunks run at once)."""
        workers = self.client.scheduler_info().get("workers", {})
        return max(1, sum(worker.get("nthreads", 1) for worker in workers.values()))

    def _check_versions(self) -> None:
        """Workers with other code or rules would give other pages: refuse them."""
        ours = generator_version()
        theirs = self.client.run(worker_version)
        others = sorted(address for address, version in theirs.items() if version != ours)
        if others:
            self.close()
            raise ClusterUnusable(f"Dask workers {', '.join(others)} run another cleansite (code or rules differ from this one's)")

    def map(
        self, worker: Callable, items: list, context: stages.RunContext, advance: Callable[[], None], chunk: int | None = None
    ) -> Iterator:
        """``worker`` over ``items`` on the cluster, results in order (as ``stages.run_stage`` with the pool)."""
        if not items:
            return
        threads = self.threads()
        chunk = chunk or stages.chunk_size(len(items), threads)
        shared = self.client.scatter(context, broadcast=True, hash=False)  # sent to each worker once, not with every task
        pending: deque = deque()
        try:
            for start in range(0, len(items), chunk):
                batch = items[start : start + chunk]
                pending.append(self.client.submit(run_chunk, worker, batch, shared, pure=False))
                if len(pending) >= 3 * threads:
                    yield from _drain(pending.popleft(), advance)
            while pending:
                yield from _drain(pending.popleft(), advance)
        finally:
            for future in pending:
                future.cancel()


def worker_version() -> str:
    """On a Dask worker: the hash of its cleansite's code and rules (``cache.generator_version``)."""
    from cleansite.cache import generator_version as installed

    return installed()


def run_chunk(worker: Callable, batch: list, context: stages.RunContext) -> list:
    """On a Dask worker: the stage's worker function over a chunk of items, with the run's context."""
    stages.use_context(context)
    return [worker(item) for item in batch]


def _drain(future, advance: Callable[[], None]) -> Iterator:
    for result in future.result():
        yield result
        advance()
