"""Reading a definition file so that every problem can name its line.

YAML is composed with PyYAML's safe loader, and every mapping and list remembers the line
(from 1) where it starts and where each of its keys or items stands. A key given twice in one
mapping is refused here: PyYAML would silently keep the last one, hiding a state or a trigger.
"""
from __future__ import annotations

from typing import Any

import yaml


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, line: int):
        super().__init__(f"the key {key!r} is given twice")
        self.key = key
        self.line = line


class Located(dict):
    """A mapping from a definition file, with the line of itself and of each of its keys."""

    line: int | None = None
    key_lines: dict


class LocatedList(list):
    """A list from a definition file, with the line of itself and of each of its items."""

    line: int | None = None
    item_lines: list


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    result = Located()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise DuplicateKey(key, key_node.start_mark.line + 1) from None
        if key in result:
            raise DuplicateKey(key, key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(item, deep=True) for item in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load(text: str) -> Any:
    """The document of `text`, its mappings and lists knowing their lines; raises YAMLError."""
    return yaml.load(text, Loader=_Loader)  # nosec B506  # _Loader is a SafeLoader subclass


def line_of(container: Any, key: Any = None) -> int | None:
    """The line of `key` in `container` (a key of a mapping, an index of a list), else the
    line where `container` starts; None for a value that came from elsewhere."""
    if key is not None:
        if isinstance(container, Located) and key in container.key_lines:
            return container.key_lines[key]
        if isinstance(container, LocatedList) and isinstance(key, int) \
                and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
    return getattr(container, "line", None)


def error_line(error: yaml.YAMLError) -> int | None:
    """Where PyYAML found a syntax error (its mark), or a key given twice."""
    if isinstance(error, DuplicateKey):
        return error.line
    mark = getattr(error, "problem_mark", None)
    return mark.line + 1 if mark is not None else None
