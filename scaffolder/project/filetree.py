"""Draw a list of relative paths as a tree, as ``tree --dirsfirst`` would."""

from __future__ import annotations

from collections.abc import Collection

# A directory is a dict of its children; a file is an empty dict.
Node = dict[str, "Node"]


def file_tree(root: str, files: list[str], existing: Collection[str] = ()) -> str:
    """Relative POSIX paths as a tree, marking those that would overwrite a file."""
    tree: Node = {}
    for path in files:
        node = tree
        for part in path.split("/"):
            node = node.setdefault(part, {})
    lines = [f"{root}/"]

    def walk(node: Node, prefix: str, parent: str) -> None:
        names = sorted(node, key=lambda n: (not node[n], n))  # directories first
        for i, name in enumerate(names):
            last = i == len(names) - 1
            child, rel = node[name], f"{parent}{name}"
            suffix = "/" if child else ("  (overwrites)" if rel in existing else "")
            lines.append(f"{prefix}{'└── ' if last else '├── '}{name}{suffix}")
            if child:
                walk(child, prefix + ("    " if last else "│   "), f"{rel}/")

    walk(tree, "", "")
    return "\n".join(lines)
