"""The `closeloop` console command: the same as manage.py."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "closeloop"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
