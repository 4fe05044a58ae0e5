#!/usr/bin/env python3
"""Checks of the project's shape that no compiler makes.

1. No import circles between source files: in each crate, every `use` of a named item
   (not a glob) is resolved to the file that defines the item (re-exports are looked
   through), and the files must form an acyclic graph. A module's root file (`mod.rs`,
   `lib.rs`, `main.rs`) naming its own submodules' items is its interface, not a
   dependency; everything else counts, so a.rs using b.rs while b.rs uses a.rs is a
   circle, and so is a submodule using its parent's items while the parent uses
   items of a sibling that uses the submodule. Test-only code is left out.
2. The workspace's `rust-version` is at least the `rust-version` of every package in
   the lock file, so the declared minimum is one that builds.
3. No file in `core/src` is over 600 lines unless its first lines say why
   (a line starting with `//! Long:`); tests are exempt.

Usage: python3 scripts/check_structure.py   (exit 1 on any failure)
"""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRATES = {"core": "lifecircle", "cli": "lifecircle_cli", "wasm": "lifecircle_wasm", "python": "lifecircle_python"}
MAX_LINES = 600

ITEM = re.compile(
    r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:unsafe\s+)?(?:const\s+fn|async\s+fn|fn|struct|enum|trait|type|const|static|mod|union|macro_rules!)\s+([A-Za-z_][A-Za-z0-9_]*)",
    re.M,
)
USE = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", re.M)


def module_path(src: Path, file: Path) -> tuple:
    rel = file.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def expand(tree: str) -> list:
    """`a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e] (renames dropped)."""
    tree = re.sub(r"\s+as\s+[A-Za-z_][A-Za-z0-9_]*", "", tree)
    tree = re.sub(r"\s+", "", tree)
    out = []

    def walk(prefix, s):
        if "{" not in s:
            for part in split_top(s):
                out.append(prefix + part)
            return
        i = s.index("{")
        head, body = s[:i], s[i + 1 : s.rindex("}")]
        for part in split_top(body):
            walk(prefix + head, part)

    walk("", tree)
    return out


def split_top(s):
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        parts.append(cur)
    return [p for p in parts if p]


def strip_tests(text: str) -> str:
    """Drops `#[cfg(test)] mod … { … }` blocks and `#[cfg(test)]` items."""
    out, i = [], 0
    while True:
        j = text.find("#[cfg(test)]", i)
        if j < 0:
            out.append(text[i:])
            break
        out.append(text[i:j])
        k = text.find("\n", j)
        nxt = text[k + 1 :].lstrip()
        if nxt.startswith("mod ") and "{" in nxt.split("\n", 1)[0]:
            start = text.find("{", k)
            depth, p = 0, start
            while p < len(text):
                if text[p] == "{":
                    depth += 1
                elif text[p] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                p += 1
            i = p + 1
        elif re.match(r"(pub(\([^)]*\))?\s+)?use\s", nxt):
            i = text.find(";", k) + 1
        else:
            i = k + 1  # the item itself stays: only test-only imports matter here
    return "".join(out)


def check_imports(crate_dir: str, crate_name: str) -> list:
    src = ROOT / crate_dir / "src"
    if not src.is_dir():
        return []
    files = [f for f in src.rglob("*.rs") if f.name != "tests.rs"]
    mods = {module_path(src, f): f for f in files}
    defs = {}  # module path -> set of names defined there
    texts = {}
    for path, f in mods.items():
        text = strip_tests(f.read_text(encoding="utf-8"))
        texts[path] = text
        defs[path] = set(ITEM.findall(text))

    def defining_file(module: tuple, name: str, seen=None):
        """The module defining `name` as seen from `module` (following re-exports)."""
        seen = seen or set()
        if (module, name) in seen or module not in defs:
            return None
        seen.add((module, name))
        if (module + (name,)) in mods:
            return module + (name,)  # a submodule
        if name in defs[module]:
            return module
        for use in USE.findall(texts[module]):
            for path in expand(use):
                segs = path.split("::")
                if segs[-1] == name:
                    target = resolve(module, segs[:-1])
                    if target is not None:
                        return defining_file(target, name, seen)
        return None

    def resolve(module: tuple, segs: list):
        if not segs:
            return None
        base = list(module)
        first = segs[0]
        if first == "crate" or first == crate_name:
            base, segs = [], segs[1:]
        elif first == "self":
            segs = segs[1:]
        elif first == "super":
            while segs and segs[0] == "super":
                base = base[:-1]
                segs = segs[1:]
        elif tuple(base + [first]) not in mods and (first,) not in mods:
            return None  # another crate
        elif tuple(base + [first]) not in mods:
            base = []
        for s in segs:
            base.append(s)
        return tuple(base)

    edges = {path: set() for path in mods}
    for path, text in texts.items():
        for use in USE.findall(text):
            for full in expand(use):
                segs = full.split("::")
                if segs[-1] in ("*", "self"):
                    continue
                target_mod = resolve(path, segs[:-1])
                if target_mod is None:
                    continue
                where = defining_file(target_mod, segs[-1])
                if where is None or where == path or where not in mods:
                    continue
                # A module's root file naming its own submodules' items (to re-export
                # them, or to hand them to the submodules) is the module's interface,
                # not a dependency: only the submodules' own imports count.
                if where[: len(path)] == path and mods[path].name in ("mod.rs", "lib.rs", "main.rs"):
                    continue
                edges[path].add(where)
    # Cycles: Tarjan's strongly connected components.
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            strong(v)
    problems = []
    for comp in out:
        names = sorted(str(mods[m].relative_to(ROOT)) for m in comp)
        problems.append(f"import circle in {crate_dir}: " + " <-> ".join(names))
    return problems


def version(v: str) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3]) + (0,) * (3 - len(re.findall(r"\d+", v)[:3]))


def check_rust_version() -> list:
    manifest = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    m = re.search(r'^rust-version\s*=\s*"([^"]+)"', manifest, re.M)
    if not m:
        return ["Cargo.toml: no workspace rust-version"]
    ours = version(m.group(1))
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    problems = []
    for p in meta["packages"]:
        need = p.get("rust_version")
        if need and version(need) > ours:
            problems.append(
                f"Cargo.toml: rust-version {m.group(1)} is below {p['name']} {p['version']}'s {need}"
            )
    return problems


def check_lengths() -> list:
    problems = []
    for f in sorted((ROOT / "core" / "src").rglob("*.rs")):
        if f.name == "tests.rs":
            continue
        lines = f.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_LINES and not any(l.startswith("//! Long:") for l in lines[:15]):
            problems.append(
                f"{f.relative_to(ROOT)}: {len(lines)} lines; split it or say why in a `//! Long:` header line"
            )
    return problems


def main() -> int:
    problems = []
    for crate_dir, name in CRATES.items():
        problems += check_imports(crate_dir, name)
    problems += check_rust_version()
    problems += check_lengths()
    for p in problems:
        print(p, file=sys.stderr)
    if not problems:
        print("structure: no import circles, rust-version covers the lock file, file sizes in bounds")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
