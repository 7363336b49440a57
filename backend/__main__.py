"""python -m backend ... (from the repository root)."""
from .cli import main

if __name__ == "__main__":      # spawned Dask workers re-import this module
    raise SystemExit(main())
