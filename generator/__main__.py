"""``python -m cleansite`` runs the cleansite command line."""

import sys

from cleansite.cli import main

sys.exit(main())
