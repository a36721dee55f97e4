#!/usr/bin/env python
"""Django's manage.py, for tools that expect one; `renkei` is the same command."""

from renkei.cli import main

if __name__ == "__main__":
    main()
