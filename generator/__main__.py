"""``python -m cleansite`` runs the cleansite command line."""

import sys

from cleansite.cli import main

if __name__ == "__main__":  # not when a spawned worker (a Dask worker's) imports this module as its main
    sys.exit(main())
