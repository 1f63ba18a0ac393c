#!/usr/bin/env python
import atexit
import gc
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcenter.settings")
    from django.core.management import execute_from_command_line

    # Python's last garbage collection at exit walks every object still alive (over 100,000 once
    # Django has started): a seventh of a second at the end of every command. Frozen, they are left
    # to the process's exit, which frees them all at once.
    atexit.register(gc.freeze)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
