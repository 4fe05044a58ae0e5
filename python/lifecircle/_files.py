"""Output folders written all or nothing, as the command line writes them.

The files go into a hidden staging folder beside the target, which then replaces the
target with two renames: an interrupted or failed write leaves the target as it was. A
target holding anything but lifecircle outputs, a symbolic link, and a target that
contains one of the inputs are refused before anything is written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Callable, Iterable

from . import _native
from .errors import FileError

# Every name an output folder may hold (core's list, the command line's too).
OUTPUT_NAMES = frozenset(_native.OUTPUT_NAMES)


def _refuse(target: str, reason: str) -> FileError:
    return FileError(f"{target}: {reason}", layer=target, reason=reason)


def _check_target(target: str, inputs: Iterable[str]) -> None:
    if os.path.islink(target):
        raise _refuse(target, "is a symbolic link; give the folder itself (outputs replace the folder)")
    if not os.path.exists(target):
        return
    if not os.path.isdir(target):
        raise _refuse(target, "is a file, not a folder")
    real = os.path.realpath(target)
    for path in inputs:
        inside = os.path.realpath(path)
        if os.path.commonpath([real, inside]) == real:
            raise _refuse(
                target,
                f"the input {path} is inside this folder, which the outputs replace; "
                "write them to another folder",
            )
    foreign = sorted(set(os.listdir(target)) - OUTPUT_NAMES)
    if foreign:
        raise _refuse(
            target,
            "holds files that are not lifecircle outputs ("
            + ", ".join(foreign)
            + "); the outputs replace the whole folder, so give an empty or new folder",
        )


def replace_folder(target: "os.PathLike[str] | str", inputs: Iterable[str], write: Callable[[str], None]) -> str:
    """Calls ``write(staging)`` to fill a staging folder, then puts it in place of
    ``target``; returns the target's path."""
    target = os.path.abspath(os.fspath(target))
    _check_target(target, list(inputs))
    parent, name = os.path.split(target)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{name}.lifecircle-staging-", dir=parent)
    try:
        write(staging)
        old = None
        if os.path.exists(target):
            old = tempfile.mkdtemp(prefix=f".{name}.lifecircle-old-", dir=parent)
            os.rmdir(old)
            os.rename(target, old)
        try:
            os.rename(staging, target)
        except OSError:
            if old is not None:
                os.rename(old, target)
            raise
        if old is not None:
            shutil.rmtree(old)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, FileError):
            raise
        raise FileError(f"{target}: cannot write the outputs: {error}", layer=target, reason=str(error)) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
