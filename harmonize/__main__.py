"""`python -m harmonize` is the `harmonize` command."""

from harmonize.cli import main

raise SystemExit(main())
