"""List the maintainer commands, each with its make target and what it does."""

from .commands import main

if __name__ == "__main__":
    main()
