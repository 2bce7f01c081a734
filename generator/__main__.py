"""``python -m generator`` runs the cleansite command line."""

import sys

from generator.cli import main

sys.exit(main())
