#!/usr/bin/env python3
"""Checks the hub's layers, or prints the folder graph found in the code.

    scripts/layers.py check BUILD_DIR    every #include of server/, app/ and ui/ against the
                                         arrows the build declares (BUILD_DIR/server-layers.txt,
                                         written by cmake/SwitchboardLayers.cmake); exit 1 on a
                                         forbidden include or a cycle among the arrows
    scripts/layers.py graph [--dot]      the folders of server/ and what each includes, from
                                         the code itself (--dot: Graphviz)

A folder of server/ may include its own headers and those of the folders it lists in DEPENDS
(switchboard_layer() in server/CMakeLists.txt); the files at the top of server/ are the layer
`server`, the composition root. app/ and ui/ may include only the hub's public headers.
"""

import os
import re
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER = os.path.join(ROOT, "server")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SOURCE_SUFFIXES = (".h", ".cpp")


def sources(top):
    for directory, _, names in os.walk(top):
        for name in sorted(names):
            if name.endswith(SOURCE_SUFFIXES):
                yield os.path.join(directory, name)


def server_path(including_file, include):
    """The file under server/ that `include` names (relative to the including file, or to
    server/ as the include path), or None when it is not one of the hub's."""
    for base in (os.path.dirname(including_file), SERVER):
        candidate = os.path.normpath(os.path.join(base, include))
        if candidate.startswith(SERVER + os.sep) and os.path.isfile(candidate):
            return os.path.relpath(candidate, SERVER)
    return None


def layer_of(relative):
    return relative.split(os.sep)[0] if os.sep in relative else "server"


def includes():
    """(including file, its layer or top folder, included server path) for every include."""
    for top in ("server", "app", "ui"):
        for path in sources(os.path.join(ROOT, top)):
            with open(path, encoding="utf-8") as file:
                for number, line in enumerate(file, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    target = server_path(path, match.group(1))
                    if target is None:
                        continue
                    relative = os.path.relpath(path, ROOT)
                    owner = layer_of(os.path.relpath(path, SERVER)) if top == "server" else top
                    yield f"{relative}:{number}", owner, target


def read_layers(build_dir):
    arrows, public = {}, set()
    with open(os.path.join(build_dir, "server-layers.txt"), encoding="utf-8") as file:
        for line in file:
            name, _, rest = line.partition(":")
            if not name.strip():
                continue
            if name.strip() == "public":
                public = set(rest.split())
            else:
                arrows[name.strip()] = set(rest.split())
    return arrows, public


def cycle(arrows):
    state = {}

    def visit(node, path):
        state[node] = "open"
        for next_node in sorted(arrows.get(node, ())):
            if state.get(next_node) == "open":
                return path + [node, next_node]
            if next_node not in state:
                found = visit(next_node, path + [node])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in sorted(arrows):
        if node not in state:
            found = visit(node, [])
            if found:
                return found[found.index(found[-1]):]
    return None


def check(build_dir):
    arrows, public = read_layers(build_dir)
    problems = []
    loop = cycle(arrows)
    if loop:
        problems.append("the declared arrows form a cycle: " + " -> ".join(loop))
    for where, owner, target in includes():
        wanted = layer_of(target)
        if owner in ("app", "ui"):
            if target not in public:
                problems.append(f"{where}: {owner}/ includes {target}, which is not one of "
                                f"the hub's public headers")
        elif owner not in arrows:
            problems.append(f"{where}: server/{owner}/ is not a declared layer")
        elif wanted != owner and wanted not in arrows[owner]:
            problems.append(f"{where}: {owner} includes {target}, but {owner} does not depend "
                            f"on {wanted} (DEPENDS {' '.join(sorted(arrows[owner])) or '-'})")
    for problem in problems:
        print(problem)
    if problems:
        print(f"layers: {len(problems)} problem(s); the arrows are declared in "
              f"server/CMakeLists.txt and drawn in docs/architecture.md")
        return 1
    print(f"layers: {len(arrows)} layers, every include follows their arrows, no cycle")
    return 0


def graph(dot):
    edges = defaultdict(set)
    for _, owner, target in includes():
        wanted = layer_of(target)
        if wanted != owner:
            edges[owner].add(wanted)
    if dot:
        print("digraph layers {")
        for owner in sorted(edges):
            for wanted in sorted(edges[owner]):
                print(f'    "{owner}" -> "{wanted}";')
        print("}")
    else:
        for owner in sorted(edges):
            print(f"{owner} -> {' '.join(sorted(edges[owner]))}")
    return 0


def main(arguments):
    if len(arguments) == 2 and arguments[0] == "check":
        return check(arguments[1])
    if arguments[:1] == ["graph"]:
        return graph("--dot" in arguments[1:])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
