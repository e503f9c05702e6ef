#!/usr/bin/env python
from closeloop.cli import main

if __name__ == "__main__":
    main()
