#!/usr/bin/env python
from maca.cli import main

if __name__ == "__main__":
    main()
